package dev.tailor.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `tailor up` leaves for `down` and for the CLI: a pid file naming a live JVM, an owner-only stack.json. */
class StackFilesTest {
    @TempDir
    Path root;

    @Test
    void aPidFileOfALiveJvmIsARunningStackAndOnlyItsOwnerClearsIt() throws Exception {
        StackFiles files = new StackFiles(root);
        assertTrue(files.running().isEmpty());
        files.writePid();
        assertEquals(ProcessHandle.current().pid(), files.running().orElseThrow().pid(), "this test's JVM");
        assertTrue(files.ownedByThisProcess());
        files.writeInfo(Map.of("apiKey", "tlr_x", "urls", Map.of("ingest", "http://127.0.0.1:8081")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.info())));
        assertEquals("http://127.0.0.1:8081", files.readInfo().orElseThrow().at("/urls/ingest").asText());

        Files.writeString(root.resolve(StackFiles.DIR).resolve("tailor.pid"), "999999999"); // no such process
        assertTrue(files.running().isEmpty());
        assertFalse(files.ownedByThisProcess(), "another instance's files are not this process's to clear");
        files.clear();
        assertTrue(files.readInfo().isEmpty());
    }
}
