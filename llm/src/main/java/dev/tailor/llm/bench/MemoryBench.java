package dev.tailor.llm.bench;

import dev.tailor.llm.model.ModelConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size over a long LoRA training run of a small model: shows native memory stays flat. */
public final class MemoryBench {
    private MemoryBench() {
    }

    /**
     * Trains {@code steps} steps, printing RSS every {@code every} steps; returns RSS in MiB at the first
     * print after 20 % of the steps (allocator pools have warmed up by then) and at the end.
     */
    public static long[] run(int steps, int every, PrintStream out) {
        ModelConfig shape = ModelConfig.llama(128, 2, 4, 4, 384, 320, 256, true);
        long[] firstLast = new long[2];
        out.printf("memory bench: LoRA r=8 (q,v), dim 128, 2 layers, vocab 320, batch 4 x seq 64, %d steps%n", steps);
        TrainBench.run(shape, 64, 4, 8, steps, Math.min(1, steps - 1), 42, step -> {
            if (step % every == 0 || step == 1) {
                long rss = rssMiB();
                if (firstLast[0] == 0 && step >= steps / 5) {
                    firstLast[0] = rss;
                }
                firstLast[1] = rss;
                Runtime rt = Runtime.getRuntime();
                out.printf("step %6d  rss %5d MiB  java heap used %4d MiB, committed %4d MiB%n", step, rss,
                        (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20);
                out.flush();
            }
        });
        return firstLast;
    }

    /** VmRSS of this process from /proc (Linux), in MiB; -1 where unavailable. */
    public static long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
