package dev.tailor.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogRotationTest {

    @Test
    void aLogPastTheLimitMovesAsideReplacingTheOlderOne(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ingest.log");
        assertFalse(LogRotation.rotate(log, 10), "no log yet: nothing to do");
        Files.writeString(log, "0123456789");
        assertFalse(LogRotation.rotate(log, 10), "at the limit: kept");
        Files.writeString(log, "first run, long\n");
        assertTrue(LogRotation.rotate(log, 10));
        assertFalse(Files.exists(log));
        assertEquals("first run, long\n", Files.readString(dir.resolve("ingest.log.1")));
        Files.writeString(log, "second run, long\n");
        assertTrue(LogRotation.rotate(log, 10));
        assertEquals("second run, long\n", Files.readString(dir.resolve("ingest.log.1")), "one older log is kept");
        assertThrows(IllegalArgumentException.class, () -> LogRotation.rotate(log, 0));
    }
}
