package dev.tailor.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps the logs of a long-lived local stack bounded: a child's log is appended to across restarts, and one that has
 * grown past {@link #MAX_BYTES} when its process starts again moves to {@code <name>.1} (replacing the one there),
 * so a log folder holds at most about twice that per process.
 */
final class LogRotation {
    /** Size past which a log is rotated when its process starts (64 MiB). */
    static final long MAX_BYTES = 64L << 20;

    private LogRotation() {
    }

    /** Moves {@code log} to {@code <log>.1} when it is larger than {@code maxBytes}; returns whether it did. */
    static boolean rotate(Path log, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        if (!Files.isRegularFile(log) || Files.size(log) <= maxBytes) {
            return false;
        }
        Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}
