package dev.tailor.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started as a child process. Its stdin is a pipe that this JVM never writes to nor closes: a child started
 * with {@link #startWatched} runs under {@link WatchedMain}, which ends the child when the pipe reaches end-of-file,
 * i.e. when this JVM is gone, even after a {@code kill -9}. A normal exit of this JVM stops every child still running (SIGTERM, then SIGKILL).
 */
public final class ChildJvm implements AutoCloseable {
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RUNNING.forEach(c -> c.process.destroy()); // SIGTERM to all at once: each takes seconds to stop
            RUNNING.forEach(c -> c.stop(Duration.ofSeconds(10)));
        }, "tailor-children-stop"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildJvm(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code mainClass} through {@link WatchedMain} (this module's jar or classes folder is added to
     * {@code classpath}), so that the child ends when this JVM ends, even on {@code kill -9}.
     */
    public static ChildJvm startWatched(String name, List<String> jvmArgs, String classpath, String mainClass,
                                        List<String> args, Map<String, String> env, Path logFile) {
        List<String> watched = new ArrayList<>();
        watched.add(mainClass);
        watched.addAll(args);
        return start(name, jvmArgs, classpath + java.io.File.pathSeparator + codeSourceOf(WatchedMain.class),
                WatchedMain.class.getName(), watched, env, logFile);
    }

    private static String codeSourceOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the local stack's jar for " + type.getName(), e);
        }
    }

    /**
     * Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>}; output goes to {@code logFile}
     * (appended), or to this JVM's stdout/stderr when {@code logFile} is null.
     */
    public static ChildJvm start(String name, List<String> jvmArgs, String classpath, String mainClass,
                                 List<String> args, Map<String, String> env, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dtailor.parent.pid=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(env);
        builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        try {
            if (logFile == null) {
                builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            } else {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                LogRotation.rotate(logFile, LogRotation.MAX_BYTES);
                builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            ChildJvm child = new ChildJvm(name, builder.start(), logFile);
            RUNNING.add(child);
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + " (" + String.join(" ", command) + "): " + e, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Resident set size from /proc (Linux), or -1 where unknown. */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The last {@code maxChars} characters of the log file, for error messages. */
    public String logTail(int maxChars) {
        if (logFile == null || !Files.exists(logFile)) {
            return "(no log file)";
        }
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - maxChars);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Throws with the log tail when the child has exited. */
    void checkAlive(String doing) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + " while " + doing
                    + "; log " + logFile + " ends with:\n" + logTail(4000));
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns the exit code. */
    public int stop(Duration grace) {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
            return process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        } finally {
            RUNNING.remove(this);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }
}
