package dev.tailor.dataprep.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the cleaning library's temporary files go: the process's own temporary folder when the application names one
 * (system property {@code tailor.tmp.dir}, set by tailor-common's {@code ProcessTemp}: per user and process, removed
 * on exit and by the next start after a kill), else {@code java.io.tmpdir}. Callers delete their files when done.
 */
public final class TempFiles {
    /** The system property naming the folder (tailor-common's {@code ProcessTemp.PROPERTY}). */
    public static final String PROPERTY = "tailor.tmp.dir";

    private TempFiles() {
    }

    /** The folder, created if missing. */
    public static Path dir() throws IOException {
        String dir = System.getProperty(PROPERTY);
        return Files.createDirectories(Path.of(dir != null ? dir : System.getProperty("java.io.tmpdir")));
    }

    /** A new empty temporary file in {@link #dir()}. */
    public static Path create(String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir(), prefix, suffix);
    }
}
