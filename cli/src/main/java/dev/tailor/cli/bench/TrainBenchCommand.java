package dev.tailor.cli.bench;

import dev.tailor.llm.bench.TrainBench;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tailor bench train}: training tokens/s (batch x seq per step) after warm-up steps. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training throughput on random-init weights of a shape (LoRA on q_proj,v_proj, or full with "
                + "--lora-rank 0): forward, loss, backward, clipping and AdamW, measured after warm-up.")
public final class TrainBenchCommand implements Callable<Integer> {
    @Mixin ShapeOptions shape;
    @Option(names = "--seq", defaultValue = "256", description = "Sequence length (default ${DEFAULT-VALUE}).") int seq;
    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--lora-rank", defaultValue = "8", description = "LoRA rank; 0 = full fine-tuning.") int loraRank;
    @Option(names = "--steps", defaultValue = "20", description = "Steps including warm-up (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up steps not measured (default ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--json", description = "Print only {\"tokens_per_second\": ...} on stdout.") boolean json;

    @Override
    public Integer call() {
        shape.applyThreads();
        TrainBench.Result r = TrainBench.run(shape.config(seq), seq, batch, loraRank, steps, warmup, 42);
        if (json) {
            System.out.printf(Locale.ROOT, "{\"tokens_per_second\": %.1f}%n", r.tokensPerSecond());
        } else {
            System.out.printf(Locale.ROOT, "%s, batch %d x seq %d, %s: %.1f tokens/s, %.1f tokens per CPU-second "
                            + "(%d steps in %.1f s, %.1f CPU-s; %,d trainable parameters)%n", shape.describe(), batch,
                    seq, loraRank > 0 ? "LoRA r=" + loraRank + " (q,v)" : "full", r.tokensPerSecond(),
                    r.tokensPerCpuSecond(), r.measuredSteps(), r.seconds(), r.cpuSeconds(), r.trainableParameters());
        }
        return 0;
    }
}
