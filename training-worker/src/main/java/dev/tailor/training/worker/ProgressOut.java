package dev.tailor.training.worker;

import dev.tailor.common.json.Json;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The worker's side of the progress protocol. Takes over the process's real stdout for protocol lines and sends
 * {@code System.out} to stderr, so that nothing a library prints can be mistaken for progress.
 */
final class ProgressOut {
    private final PrintStream out;

    ProgressOut() {
        this.out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
    }

    synchronized void report(WorkerReport report) {
        out.println(WorkerReport.PREFIX + Json.write(report));
        out.flush();
    }
}
