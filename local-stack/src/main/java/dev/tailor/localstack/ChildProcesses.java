package dev.tailor.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Processes the CLI started directly (besides infra and services), destroyed with their descendants on exit. */
public final class ChildProcesses {

    private final List<Process> processes = new ArrayList<>();

    public synchronized Process track(Process p) {
        processes.add(p);
        return p;
    }

    public synchronized void destroyAll() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }
}
