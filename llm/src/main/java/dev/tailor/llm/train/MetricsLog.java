package dev.tailor.llm.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code metrics.jsonl}: one JSON object per optimizer step; on resume, lines past the checkpoint are dropped. */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsLog(Path file, int keepThroughStep) {
        try {
            List<String> kept = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && JSON.readTree(line).path("step").asInt() <= keepThroughStep) {
                        kept.add(line);
                    }
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, kept, StandardCharsets.UTF_8);
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(TrainProgress p, double gradNorm, int tokens, double elapsedSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", p.step());
        m.put("epoch", p.epoch());
        m.put("loss", p.loss());
        m.put("learning_rate", p.learningRate());
        m.put("grad_norm", gradNorm);
        m.put("tokens", tokens);
        m.put("tokens_per_second", p.tokensPerSecond());
        m.put("elapsed_seconds", elapsedSeconds);
        if (p.validationLoss() != null) {
            m.put("validation_loss", p.validationLoss());
        }
        try {
            out.write(JSON.writeValueAsString(m));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
