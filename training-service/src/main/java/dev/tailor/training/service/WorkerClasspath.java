package dev.tailor.training.service;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The classpath a worker JVM is started with, derived from how the service itself runs:
 * <ul>
 *   <li>from a Quarkus fast-jar ({@code quarkus-app/quarkus-run.jar} on the classpath, alone as with
 *   {@code java -jar} or next to a launcher): every jar of
 *   {@code quarkus-app/lib/main/}, {@code quarkus-app/app/} and {@code quarkus-app/lib/boot/};</li>
 *   <li>from a manifest-only jar (Maven Surefire's booter): the jar's {@code Class-Path} entries;</li>
 *   <li>otherwise {@code java.class.path} as it is (IDE, plain {@code java -cp}).</li>
 * </ul>
 * The worker's own classes live in the service jar, and it needs only common, llm and DJL from that classpath.
 */
public final class WorkerClasspath {

    private WorkerClasspath() {
    }

    public static String resolve(Optional<String> override) {
        return resolve(override, System.getProperty("java.class.path", ""));
    }

    static String resolve(Optional<String> override, String cp) {
        if (override.isPresent() && !override.get().isBlank()) {
            return override.get();
        }
        String[] entries = cp.split(File.pathSeparator);
        for (String entry : entries) {
            Path path = Path.of(entry);
            if (path.getFileName() != null && path.getFileName().toString().equals("quarkus-run.jar")) {
                return fastJar(path.toAbsolutePath().getParent());
            }
        }
        if (entries.length == 1 && entries[0].endsWith(".jar")) {
            Path jar = Path.of(entries[0]).toAbsolutePath();
            Optional<String> fromManifest = manifestClassPath(jar);
            if (fromManifest.isPresent()) {
                return fromManifest.get();
            }
        }
        return cp;
    }

    /** Jars of a Quarkus fast-jar folder ({@code quarkus-app/}). */
    static String fastJar(Path quarkusApp) {
        List<String> jars = new ArrayList<>();
        for (String sub : List.of("lib/main", "app", "lib/boot")) {
            Path dir = quarkusApp.resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".jar")).sorted()
                        .forEach(p -> jars.add(p.toAbsolutePath().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException(quarkusApp + " has no lib/main, app or lib/boot jars; set "
                    + "tailor.training.worker-classpath");
        }
        return String.join(File.pathSeparator, jars);
    }

    /** The {@code Class-Path} of a manifest-only jar, as absolute file paths. */
    static Optional<String> manifestClassPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            var manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return Optional.empty();
            }
            URI base = jar.getParent().toUri();
            List<String> paths = new ArrayList<>();
            for (String entry : classPath.trim().split("\\s+")) {
                paths.add(Path.of(base.resolve(entry)).toString());
            }
            return Optional.of(String.join(File.pathSeparator, paths));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
