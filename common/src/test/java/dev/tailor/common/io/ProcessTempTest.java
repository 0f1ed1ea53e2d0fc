package dev.tailor.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-process temporary folders with real processes: each process gets its own folder under its user's root, a
 * process that exits removes its folder, and the folder of a process killed with {@code kill -9} is removed by the
 * next start, while a live process's folder is kept.
 */
class ProcessTempTest {

    private static Process child(Path tmp) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                ProcessTempChild.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Path folderOf(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return Path.of(out.readLine());
    }

    @Test
    void eachProcessHasItsOwnFolderRemovedWhenItExits(@TempDir Path tmp) throws Exception {
        Process a = child(tmp);
        Process b = child(tmp);
        Path da = folderOf(a);
        Path db = folderOf(b);
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        assertEquals(tmp.resolve("tailor-" + user), da.getParent());
        assertEquals(da.getParent(), db.getParent());
        assertTrue(da.getFileName().toString().startsWith(a.pid() + "-"), da.toString());
        assertTrue(db.getFileName().toString().startsWith(b.pid() + "-"), db.toString());
        assertTrue(Files.isDirectory(da.resolve("run")) && Files.isDirectory(db.resolve("run")));

        a.getOutputStream().close(); // a normal exit
        assertTrue(a.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(da), "an exiting process removes its folder");
        assertTrue(Files.exists(db), "another process's folder stays");
        b.getOutputStream().close();
        assertTrue(b.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void aKilledProcesssFolderIsRemovedByTheNextStart(@TempDir Path tmp) throws Exception {
        Process killed = child(tmp);
        Path dead = folderOf(killed);
        Process alive = child(tmp);
        Path live = folderOf(alive);
        try {
            assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(killed.pid())).start().waitFor());
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, killed.exitValue());
            assertTrue(Files.exists(dead), "kill -9 leaves the folder behind");
            Path foreign = Files.createDirectories(dead.getParent().resolve("notes"));
            Path reused = Files.createDirectories(dead.getParent().resolve(alive.pid() + "-1")); // pid reused

            Process next = child(tmp); // the next start cleans up
            Path mine = folderOf(next);
            assertFalse(Files.exists(dead), "the killed process's folder was removed");
            assertFalse(Files.exists(reused), "a folder of an earlier process with a reused pid was removed");
            assertTrue(Files.exists(live) && Files.exists(foreign) && Files.exists(mine), List.of(live, foreign, mine)
                    .toString());
            next.getOutputStream().close();
            assertTrue(next.waitFor(30, TimeUnit.SECONDS));
        } finally {
            alive.getOutputStream().close();
            alive.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
