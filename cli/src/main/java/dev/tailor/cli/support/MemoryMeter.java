package dev.tailor.cli.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples the resident memory (RSS, from /proc) of this JVM and every process it started, directly or not,
 * once a second, and keeps the peak of the sum. On systems without /proc it reports nothing.
 */
public final class MemoryMeter implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tailor-memory-meter");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong peakBytes = new AtomicLong();
    private final AtomicLong peakProcesses = new AtomicLong();

    public MemoryMeter start() {
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
        return this;
    }

    /** The largest total RSS seen, in bytes (0 when unknown). */
    public long peakBytes() {
        return peakBytes.get();
    }

    /** How many processes were running when the peak was measured. */
    public long peakProcesses() {
        return peakProcesses.get();
    }

    void sample() {
        long[] total = {rss(ProcessHandle.current().pid())};
        long[] count = {1};
        try (Stream<ProcessHandle> children = ProcessHandle.current().descendants()) {
            children.forEach(p -> {
                long r = rss(p.pid());
                if (r > 0) {
                    total[0] += r;
                    count[0]++;
                }
            });
        }
        if (total[0] > peakBytes.get()) {
            peakBytes.set(total[0]);
            peakProcesses.set(count[0]);
        }
    }

    /** VmRSS of a process in bytes, 0 when unknown. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
        return 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
