package dev.tailor.common.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The one place for this process's temporary files: {@code ${java.io.tmpdir}/tailor-<user>/<pid>-<start>/}, readable
 * by its user only (two users on one host never share a name), deleted when the process exits, and, should it have
 * been killed, by the next Tailor process of the same user, which removes every folder of a process that is gone
 * (pid dead, or reused by a later process). Services' work folders default to sub-folders of it
 * ({@code ${tailor.tmp.dir}/...}: {@link TempDirConfigSource}); a run's own files go in {@link #newRunDir}, which its
 * caller deletes when the run ends, failed or not. The path is also published as system property
 * {@value #PROPERTY} for libraries that cannot depend on this module (dataprep).
 */
public final class ProcessTemp {
    /** System property and config key holding this process's folder. */
    public static final String PROPERTY = "tailor.tmp.dir";
    private static Path dir;

    private ProcessTemp() {
    }

    /** This process's folder, created (and stale folders of dead processes removed) on first use. */
    public static synchronized Path dir() {
        if (dir == null) {
            Path root = root();
            try {
                Files.createDirectories(root);
                restrict(root);
                removeStale(root);
                ProcessHandle self = ProcessHandle.current();
                Path mine = root.resolve(name(self));
                Files.createDirectories(mine);
                restrict(mine);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(mine), "tailor-tmp-cleanup"));
                System.setProperty(PROPERTY, mine.toString());
                dir = mine;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the temporary folder under " + root + ": "
                        + e.getMessage(), e);
            }
        }
        return dir;
    }

    /** A new folder for one run under {@code dir()/<area>/}; the caller deletes it ({@link #delete}) when it ends. */
    public static Path newRunDir(String area, String prefix) {
        try {
            Path parent = Files.createDirectories(dir().resolve(area));
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder under " + dir() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file or folder tree; what is gone already is fine. */
    public static void delete(Path path) {
        if (path == null || !Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: what stays is removed by the next start
        }
    }

    /** Folders of processes that are gone: their pid runs nothing, or a process started at another time. */
    static void removeStale(Path root) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            children.filter(Files::isDirectory).filter(ProcessTemp::stale).forEach(ProcessTemp::delete);
        }
    }

    static boolean stale(Path folder) {
        String name = folder.getFileName().toString();
        int dash = name.indexOf('-');
        if (dash <= 0) {
            return false; // not one of ours
        }
        try {
            long pid = Long.parseLong(name.substring(0, dash));
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isEmpty() || !p.get().isAlive() || !name.equals(name(p.get()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String name(ProcessHandle p) {
        long start = p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return p.pid() + "-" + start;
    }

    static Path root() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "tailor-" + user);
    }

    private static void restrict(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the platform's defaults apply
        }
    }
}
