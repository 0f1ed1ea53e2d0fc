package dev.tailor.cli.demo;

import dev.tailor.localstack.ChildProcesses;
import dev.tailor.cli.TailorCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's base model: the starter checkpoint that {@code tailor model pretrain} makes from
 * public-domain text. Made once (minutes) and cached under {@code ~/.cache/tailor/models/tailor-starter/};
 * later runs reuse it.
 */
public final class StarterModel {

    public static final String NAME = "tailor-starter";

    private StarterModel() {
    }

    /** {@code $TAILOR_CACHE}, else {@code $XDG_CACHE_HOME/tailor}, else {@code ~/.cache/tailor}. */
    static Path cacheRoot() {
        String explicit = System.getenv("TAILOR_CACHE");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("tailor");
    }

    public static Path defaultDir() {
        return cacheRoot().resolve("models").resolve(NAME);
    }

    /** Whether {@code dir} holds a complete HF checkpoint (config, tokenizer, safetensors weights). */
    public static boolean present(Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Pretrains the starter model into {@code dir} in a child JVM running {@code tailor model pretrain}
     * (its progress goes to this terminal). Written to a sibling folder first and renamed, so an
     * interrupted run never leaves a half-written model that later runs would trust.
     */
    static void pretrain(Path dir, ChildProcesses children) throws InterruptedException {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(tmp);
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx2g", "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), TailorCli.class.getName(),
                    "model", "pretrain", "--out", tmp.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
            pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            Process p = children.track(pb.start());
            int rc = p.waitFor();
            if (rc != 0 || !present(tmp)) {
                throw new IllegalStateException("`tailor model pretrain --out " + tmp + "` failed (exit code " + rc
                        + "); run it by hand to see why, or pass an existing checkpoint with --base-model DIR");
            }
            deleteRecursively(dir);
            Files.createDirectories(dir.getParent());
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the starter model to " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(tmp);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root + ": " + e.getMessage(), e);
        }
    }
}
