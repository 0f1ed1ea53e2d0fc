package dev.tailor.llm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * llama2.c's {@code run.c} as an external reference: a given binary, or the shipped copy of run.c compiled the way
 * llama2.c's {@code make runomp} does ({@code gcc -Ofast -fopenmp -march=native}). Runs greedy decoding
 * ({@code -t 0}) of a checkpoint written by {@link Llama2cExport} and reads back the generated ids and run.c's own
 * "achieved tok/s" (timed from the second token, as run.c does).
 */
public final class RunC {

    /** ids generated after the BOS prompt; run.c stops early when it generates BOS (id 1). */
    public record Output(int[] ids, double tokensPerSecond) {
    }

    private static final Pattern TOK_S = Pattern.compile("achieved tok/s: ([0-9.]+)");

    private final Path binary;

    private RunC(Path binary) {
        this.binary = binary;
    }

    public static RunC at(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalArgumentException("run.c binary " + binary + " is not an executable file");
        }
        return new RunC(binary);
    }

    /**
     * Compiles the shipped run.c into {@code dir} with {@code gcc} (from PATH); empty when no gcc is installed.
     *
     * @throws IllegalStateException when gcc is there but the compile fails (its output is in the message)
     */
    public static Optional<RunC> compile(Path dir) {
        if (!onPath("gcc")) {
            return Optional.empty();
        }
        try (InputStream src = RunC.class.getResourceAsStream("llama2c/run.c")) {
            Files.createDirectories(dir);
            Path c = dir.resolve("run.c");
            Files.copy(src, c, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path bin = dir.resolve("runomp");
            List<String> cmd = List.of("gcc", "-Ofast", "-fopenmp", "-march=native", c.toString(), "-lm", "-o",
                    bin.toString());
            Result r = exec(cmd, dir, 1, 300);
            if (r.code != 0) {
                throw new IllegalStateException("Compiling run.c failed (" + String.join(" ", cmd) + "): " + r.err);
            }
            return Optional.of(new RunC(bin));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot compile run.c in " + dir, e);
        }
    }

    public Path binary() {
        return binary;
    }

    /** Greedy decoding of {@code steps} positions (BOS included) on {@code threads} OpenMP threads. */
    public Output generate(Path checkpoint, Path tokenizer, int steps, int threads) {
        List<String> cmd = List.of(binary.toString(), checkpoint.toString(), "-z", tokenizer.toString(), "-t", "0",
                "-n", String.valueOf(steps), "-s", "1");
        Result r = exec(cmd, checkpoint.getParent(), threads, 600);
        if (r.code != 0) {
            throw new IllegalStateException("run.c exited with " + r.code + ": " + r.err);
        }
        Matcher m = TOK_S.matcher(r.err);
        if (!m.find()) {
            throw new IllegalStateException("run.c did not print its tok/s; stderr: " + r.err);
        }
        List<Integer> ids = new ArrayList<>();
        for (String piece : r.out.trim().split("\\s+")) {
            if (!piece.isEmpty()) {
                ids.add(Integer.parseInt(piece));
            }
        }
        return new Output(ids.stream().mapToInt(Integer::intValue).toArray(), Double.parseDouble(m.group(1)));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result exec(List<String> cmd, Path dir, int threads, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            Path out = Files.createTempFile("runc", ".out");
            Path err = Files.createTempFile("runc", ".err");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(cmd.get(0) + " ran past " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + cmd.get(0), e);
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
