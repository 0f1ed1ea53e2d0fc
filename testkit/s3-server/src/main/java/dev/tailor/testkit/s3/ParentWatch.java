package dev.tailor.testkit.s3;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends this server when the JVM that launched it ends, even on {@code kill -9}: the launcher keeps our stdin
 * open as a pipe, and the pipe reaches end-of-file when the launcher's process is gone. The launcher's pid is also
 * watched (system property {@code tailor.parent.pid}), in case stdin was not a pipe.
 * (The same small class exists in the other server launcher: the two launchers share no dependency.)
 */
final class ParentWatch {
    private ParentWatch() {
    }

    static void start(String serverName) {
        Thread stdin = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // the launcher never writes; any byte is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end-of-file
            }
            stop(serverName, "stdin closed");
        }, serverName + "-parent-stdin");
        stdin.setDaemon(true);
        stdin.start();
        String pid = System.getProperty("tailor.parent.pid");
        (pid == null ? ProcessHandle.current().parent() : ProcessHandle.of(Long.parseLong(pid)))
                .ifPresentOrElse(parent -> parent.onExit().thenRun(() -> stop(serverName, "parent " + parent.pid() + " exited")),
                        () -> stop(serverName, "parent already gone"));
    }

    private static void stop(String serverName, String why) {
        System.err.println(serverName + ": launcher gone (" + why + "), shutting down");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException ignored) {
                // halt now
            }
            Runtime.getRuntime().halt(2);
        }, serverName + "-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(0), serverName + "-exit").start();
    }
}
