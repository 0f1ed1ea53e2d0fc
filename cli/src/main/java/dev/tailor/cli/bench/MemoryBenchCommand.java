package dev.tailor.cli.bench;

import dev.tailor.llm.bench.MemoryBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor bench memory}: RSS over a long LoRA training run, to show native memory stays flat. */
@Command(name = "memory", mixinStandardHelpOptions = true,
        description = {"Train a small model (LoRA) for many steps and print the process RSS every N steps.",
                "Run with a fixed, pre-touched heap (e.g. TAILOR_JAVA_OPTS=\"-Xms256m -Xmx256m -XX:+AlwaysPreTouch\") so "
                        + "that RSS growth is native memory, not the Java heap being touched."})
public final class MemoryBenchCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "10000", description = "Steps (default ${DEFAULT-VALUE}).") int steps;
    @Option(names = "--every", defaultValue = "1000", description = "Print every N steps (default ${DEFAULT-VALUE}).")
    int every;

    @Override
    public Integer call() {
        long[] rss = MemoryBench.run(steps, every, System.out);
        System.out.printf("RSS after %d steps: %d MiB; after 20 %% of the steps: %d MiB (growth %+d MiB)%n", steps,
                rss[1], rss[0], rss[1] - rss[0]);
        return 0;
    }
}
