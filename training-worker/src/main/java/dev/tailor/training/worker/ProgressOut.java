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
final class ProgressOut implements Reports {
    private final PrintStream out;

    ProgressOut() {
        this.out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
    }

    synchronized void report(WorkerReport report) {
        out.println(WorkerReport.PREFIX + Json.write(report));
        out.flush();
    }

    @Override
    public void step(WorkerReport report) {
        report(report);
    }

    @Override
    public void end(WorkerReport report) {
        report(report);
    }

    /** The controller announces a local worker's output. */
    @Override
    public void trained(dev.tailor.common.events.ModelTrained event) {
    }
}
