package dev.tailor.llm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.io.SafetensorsWriter;
import dev.tailor.llm.train.optim.AdamW;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Resumable checkpoints under {@code outputDir/checkpoints/step-N/}: {@code state.safetensors} (F32,
 * memory-mapped on load)
 * (trainable weights "param.NAME", AdamW moments "m.NAME"/"v.NAME", best-so-far weights
 * "best.NAME") and {@code trainer_state.json}. Written to a temporary folder and renamed, so a
 * crash never leaves a half checkpoint; only the newest {@link #KEEP} are kept.
 */
public final class Checkpoints {
    public static final int KEEP = 2;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Position and bookkeeping of a run after {@code step} optimizer steps. The RNG is re-seeded
     * from (seed, step, micro-batch) before every forward pass, so seed and step are its state.
     */
    public record State(int step, int epoch, int dataOffset, int totalSteps, long seed, int optimizerSteps,
                        double learningRate, Double bestValidationLoss, int badEvaluations,
                        Double lastValidationLoss, List<Double> recentLosses, Double initialValidationLoss) {
    }

    public record Loaded(Path dir, State state, Map<String, NDArray> arrays) {
    }

    private Checkpoints() {
    }

    public static Path root(Path outputDir) {
        return outputDir.resolve("checkpoints");
    }

    public static Path save(Path outputDir, State state, Map<String, NDArray> params, AdamW adam,
                            Map<String, NDArray> best) {
        Path root = root(outputDir);
        Path target = root.resolve("step-" + state.step());
        Path tmp = root.resolve(".tmp-step-" + state.step());
        try {
            Files.createDirectories(root);
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Map<String, NDArray> all = new LinkedHashMap<>();
            params.forEach((k, v) -> all.put("param." + k, v));
            best.forEach((k, v) -> all.put("best." + k, v));
            all.putAll(adam.state());
            SafetensorsWriter.write(tmp.resolve("state.safetensors"), all);
            JSON.writeValue(tmp.resolve("trainer_state.json").toFile(), state);
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune(root);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint, its arrays in {@code manager}. */
    public static Optional<Loaded> latest(Path outputDir, NDManager manager) {
        List<Path> all = list(root(outputDir));
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Path dir = all.get(all.size() - 1);
        try (SafetensorsReader in = new SafetensorsReader(dir.resolve("state.safetensors"))) {
            State state = JSON.readValue(dir.resolve("trainer_state.json").toFile(), State.class);
            Map<String, NDArray> arrays = new HashMap<>();
            for (String name : in.tensors().keySet()) {
                arrays.put(name, in.loadFloat(name, manager));
            }
            return Optional.of(new Loaded(dir, state, arrays));
        } catch (IOException e) {
            throw new UncheckedIOException(unreadable(dir, e), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(unreadable(dir, e), e);
        }
    }

    private static String unreadable(Path dir, Exception e) {
        return "checkpoint " + dir + " is unreadable (" + e.getMessage() + "); delete it to resume from the one before";
    }

    static List<Path> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .filter(p -> Files.exists(p.resolve("trainer_state.json")))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(5))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void prune(Path root) throws IOException {
        List<Path> all = list(root);
        for (int i = 0; i < all.size() - KEEP; i++) {
            deleteTree(all.get(i));
        }
    }

    /** Deletes a run's checkpoints (when its output no longer needs to be resumable). */
    public static void deleteAll(Path outputDir) throws IOException {
        deleteTree(root(outputDir));
    }

    /** Deletes a folder and everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
