package dev.tailor.training.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a worker JVM's classpath comes from: the training-worker module's packaged distribution, a folder whose
 * {@code lib/} holds the worker jar and its runtime dependencies, as Maven built them ({@code
 * training-worker/target/worker}; the service's build copies it to {@code quarkus-app/worker}, and the service's
 * image to {@code /deployments/worker}). Nothing of the service's own Quarkus classpath reaches a worker.
 * <ul>
 *   <li>{@code tailor.training.worker-classpath}, when set, is used as it is (an image with its own layout);</li>
 *   <li>else the folder {@code tailor.training.worker-dir};</li>
 *   <li>else {@code worker/} next to the service's application jar ({@code quarkus-app/app/} → {@code quarkus-app/worker}).</li>
 * </ul>
 */
public final class WorkerDistribution {
    /** The distribution's folder name next to the service's {@code app/} folder. */
    static final String FOLDER = "worker";

    private WorkerDistribution() {
    }

    /**
     * The worker classpath, jars of {@code lib/} in name order.
     *
     * @throws IllegalStateException naming the folder looked at and how to build or configure it
     */
    public static String classpath(Optional<String> classpathOverride, Optional<String> workerDir) {
        if (classpathOverride.isPresent() && !classpathOverride.get().isBlank()) {
            return classpathOverride.get();
        }
        if (workerDir.isPresent() && !workerDir.get().isBlank()) {
            return classpathOf(Path.of(workerDir.get()), "tailor.training.worker-dir");
        }
        Path beside = besideServiceJar().orElseThrow(() -> new IllegalStateException("the service does not run from"
                + " a packaged jar, so there is no training-worker distribution next to it: set"
                + " tailor.training.worker-dir to training-worker/target/worker (built by `mvn -pl training-worker"
                + " -am package`)"));
        return classpathOf(beside, "next to the service's jar");
    }

    /** The jars of {@code dir/lib}. */
    static String classpathOf(Path dir, String foundAs) {
        Path lib = dir.resolve("lib");
        List<String> jars;
        try (Stream<Path> files = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
                    .map(p -> p.toAbsolutePath().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + lib, e);
        }
        if (jars.stream().noneMatch(j -> Path.of(j).getFileName().toString().startsWith("training-worker-"))) {
            throw new IllegalStateException("no training-worker distribution at " + dir.toAbsolutePath() + " ("
                    + foundAs + "): " + lib + " must hold training-worker-*.jar and its dependencies; build it with"
                    + " `mvn -pl training-worker -am package` (a full `mvn install` does it too)");
        }
        return String.join(File.pathSeparator, jars);
    }

    /** {@code quarkus-app/worker} when this class was loaded from {@code quarkus-app/app/<service>.jar}. */
    static Optional<Path> besideServiceJar() {
        CodeSource source = WorkerDistribution.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            Path location = Path.of(source.getLocation().toURI());
            return besideJar(location);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Optional<Path> besideJar(Path location) {
        if (!location.getFileName().toString().endsWith(".jar") || location.getParent() == null
                || location.getParent().getParent() == null) {
            return Optional.empty();
        }
        return Optional.of(location.getParent().getParent().resolve(FOLDER));
    }
}
