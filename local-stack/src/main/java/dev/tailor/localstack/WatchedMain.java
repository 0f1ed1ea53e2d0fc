package dev.tailor.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class and ends the JVM when its launcher is gone (stdin pipe at end-of-file, or the pid in
 * {@code tailor.parent.pid} exited), even after a {@code kill -9} of the launcher: shutdown hooks run, and a halt
 * follows 10 s later. Usage: {@code WatchedMain <mainClass> [args...]}; {@link ChildJvm#startWatched} runs the
 * Kafka and S3 servers and the Quarkus apps of {@link ServiceProcess} through it. JDK classes only: it shares the
 * child's classpath with whatever it runs.
 */
public final class WatchedMain {
    private WatchedMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: WatchedMain <mainClass> [args...]");
            System.exit(64);
        }
        watchParent();
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static void watchParent() {
        Thread stdin = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is ever written; ignore
                }
            } catch (IOException ignored) {
                // same as end-of-file
            }
            stop("stdin closed");
        }, "tailor-parent-stdin");
        stdin.setDaemon(true);
        stdin.start();
        String pid = System.getProperty("tailor.parent.pid");
        (pid == null ? ProcessHandle.current().parent() : ProcessHandle.of(Long.parseLong(pid)))
                .ifPresentOrElse(p -> p.onExit().thenRun(() -> stop("parent " + p.pid() + " exited")),
                        () -> stop("parent already gone"));
    }

    private static void stop(String why) {
        System.err.println("launcher gone (" + why + "), shutting down");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException ignored) {
                // halt now
            }
            Runtime.getRuntime().halt(2);
        }, "tailor-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(0), "tailor-exit").start();
    }
}
