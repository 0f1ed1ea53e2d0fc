package dev.tailor.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kill -9 of the JVM that started the infrastructure must not leave a broker, s3proxy or service behind. */
class OrphanIT {
    @Test
    void childrenDieWhenTheirLauncherIsKilled() throws Exception {
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), OrphanProbe.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (String line; pids.isEmpty() && System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                System.out.println("probe: " + line);
                if (line.startsWith("PIDS ")) {
                    Arrays.stream(line.substring(5).trim().split(" ")).map(Long::parseLong).forEach(pids::add);
                    System.out.println("probe: " + out.readLine());
                }
            }
            assertEquals(3, pids.size(), "the probe reported its children");
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), pid + " runs");
            }

            launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs in the launcher
            assertTrue(launcher.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, launcher.exitValue());

            long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (long pid : pids) {
                ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
                while (handle != null && handle.isAlive() && System.nanoTime() < deadline2) {
                    Thread.sleep(100);
                }
                assertFalse(handle != null && handle.isAlive(), "child " + pid + " outlived its launcher");
            }
        } finally {
            launcher.destroyForcibly();
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
