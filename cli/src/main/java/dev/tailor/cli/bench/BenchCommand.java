package dev.tailor.cli.bench;

import dev.tailor.cli.clean.CleanBenchCommand;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.bench.DecodeBenchmark;
import dev.tailor.llm.bench.TrainBench;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tailor bench} (= {@code bench all}): LoRA r=8 (q,v) and full training tokens/s, and greedy
 * decode tokens/s at batch 1 and 8, for a checkpoint folder or a random-init shape.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: training tokens/s (LoRA r=8 on q,v and full) and greedy decode tokens/s at batch 1 "
                + "and 8, for --model DIR or a random-init shape (default: stories15M, dim 288, 6 layers, 6 heads, "
                + "vocab 32000). Set OMP_WAIT_POLICY=PASSIVE on a shared machine.",
        subcommands = {TrainBenchCommand.class, MemoryBenchCommand.class, CleanBenchCommand.class, EvalBenchCommand.class,
                ServeBenchCommand.class, DecodeBenchCommand.class,
                BenchCommand.All.class})
public final class BenchCommand implements Callable<Integer> {
    @Mixin ShapeOptions shape;
    @Option(names = "--seq", defaultValue = "256", description = "Training sequence length (default ${DEFAULT-VALUE}).")
    int seq;
    @Option(names = "--batch", defaultValue = "8", description = "Training batch (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--steps", defaultValue = "10", description = "Training steps incl. 3 warm-up (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--decode-tokens", defaultValue = "256", description = "Tokens decoded per sequence.")
    int decodeTokens;
    @Option(names = "--json", description = "One JSON object on stdout.") boolean json;

    @Override
    public Integer call() {
        shape.applyThreads();
        ModelConfig cfg = shape.config(Math.max(seq, decodeTokens + 1));
        double lora = TrainBench.run(cfg, seq, batch, 8, steps, 3, 42).tokensPerSecond();
        double full = TrainBench.run(cfg, seq, batch, 0, steps, 3, 42).tokensPerSecond();
        List<DecodeBenchmark.Result> decode = DecodeBenchmark.run(shape.model, cfg, decodeTokens, 1, 8);
        double d1 = decode.get(0).tokensPerSecond();
        double d8 = decode.get(1).tokensPerSecond();
        String threads = shape.threads == null ? "default" : String.valueOf(shape.threads);
        if (json) {
            System.out.printf(Locale.ROOT, "{\"model\": \"%s\", \"threads\": \"%s\", \"train_lora_r8_qv_tokens_per_second\": %.1f, "
                            + "\"train_full_tokens_per_second\": %.1f, \"decode_batch1_tokens_per_second\": %.1f, "
                            + "\"decode_batch8_tokens_per_second\": %.1f}%n", shape.describe().replace("\"", "'"),
                    threads, lora, full, d1, d8);
        } else {
            System.out.printf(Locale.ROOT, "%s, threads %s%n", shape.describe(), threads);
            System.out.printf(Locale.ROOT, "  train LoRA r=8 (q,v), batch %d x seq %d : %8.1f tokens/s%n", batch, seq, lora);
            System.out.printf(Locale.ROOT, "  train full,           batch %d x seq %d : %8.1f tokens/s%n", batch, seq, full);
            System.out.printf(Locale.ROOT, "  greedy decode, batch 1                : %8.1f tokens/s%n", d1);
            System.out.printf(Locale.ROOT, "  greedy decode, batch 8                : %8.1f tokens/s%n", d8);
        }
        return 0;
    }

    /** {@code tailor bench all}: the same as {@code tailor bench}. */
    @Command(name = "all", mixinStandardHelpOptions = true, description = "Same as `tailor bench`.")
    static final class All implements Callable<Integer> {
        @Mixin ShapeOptions shape;
        @Option(names = "--seq", defaultValue = "256") int seq;
        @Option(names = "--batch", defaultValue = "8") int batch;
        @Option(names = "--steps", defaultValue = "10") int steps;
        @Option(names = "--decode-tokens", defaultValue = "256") int decodeTokens;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            BenchCommand b = new BenchCommand();
            b.shape = shape;
            b.seq = seq;
            b.batch = batch;
            b.steps = steps;
            b.decodeTokens = decodeTokens;
            b.json = json;
            return b.call();
        }
    }
}
