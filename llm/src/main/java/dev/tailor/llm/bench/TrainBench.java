package dev.tailor.llm.bench;

import ai.djl.ndarray.NDManager;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.train.Checkpoints;
import dev.tailor.llm.train.FullTrainingModel;
import dev.tailor.llm.train.LoraTrainingModel;
import dev.tailor.llm.train.ProgressListener;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainingLoop;
import dev.tailor.llm.train.TrainingModel;
import dev.tailor.llm.train.batch.TokenizedExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Training throughput of the real loop (forward, answer loss, backward, clipping, AdamW) on a
 * random-init model: tokens/s counted as batch x seq per optimizer step, measured after warm-up.
 */
public final class TrainBench {

    /** @param loraRank 0 = full fine-tuning, else LoRA on q_proj and v_proj */
    /**
     * @param cpuSeconds process CPU time over the measured steps (all threads): tokens per CPU-second is a
     *                   throughput measure that other processes competing for the cores hardly disturb
     */
    public record Result(double tokensPerSecond, int measuredSteps, double seconds, long trainableParameters,
                         double cpuSeconds) {
        public double tokensPerCpuSecond() {
            return tokensPerSecond * seconds / cpuSeconds;
        }
    }

    private TrainBench() {
    }

    public static Result run(ModelConfig shape, int seq, int batch, int loraRank, int steps, int warmup, long seed) {
        return run(shape, seq, batch, loraRank, steps, warmup, seed, s -> { });
    }

    /** {@code afterStep} sees each finished step (e.g. to sample RSS). */
    public static Result run(ModelConfig shape, int seq, int batch, int loraRank, int steps, int warmup, long seed,
                             IntConsumer afterStep) {
        if (steps <= warmup) {
            throw new IllegalArgumentException("steps (" + steps + ") must exceed warm-up steps (" + warmup + ")");
        }
        Path out;
        try {
            out = Files.createTempDirectory("tailor-bench-train");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Transformer model = Transformer.random(shape, manager, seed);
            TrainingParams params = TrainingParams.builder().method(loraRank > 0 ? "lora" : "full")
                    .loraRank(Math.max(loraRank, 1)).loraAlpha(2.0 * Math.max(loraRank, 1)).loraDropout(0.0)
                    .maxSteps(steps).batchSize(batch).maxSeqLength(seq).warmupRatio(0.0).scheduler("constant")
                    .learningRate(1e-3).evalEvery(0).build();
            TrainingModel tm = loraRank > 0
                    ? new LoraTrainingModel(model, LoraAdapter.init(model, new LoraConfig(params.lora().rank(),
                    params.lora().alpha(), 0.0, params.lora().targetModules()), seed), 0, "random")
                    : new FullTrainingModel(model, 0, (m, values, dir) -> { }); // the benchmark keeps no weights
            long trainable = tm.trainableParameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
            long[] marks = new long[4];
            ProgressListener timer = p -> {
                if (p.step() == warmup) {
                    marks[0] = System.nanoTime();
                    marks[2] = cpuNanos();
                }
                if (p.step() == steps) {
                    marks[1] = System.nanoTime();
                    marks[3] = cpuNanos();
                }
                afterStep.accept(p.step());
            };
            new TrainingLoop(tm, params, RunOptions.to(out).withCheckpointEvery(0).withListener(timer))
                    .run(randomExamples(steps * batch, seq, shape.vocabSize(), seed), List.of());
            double seconds = (marks[1] - marks[0]) / 1e9;
            int measured = steps - warmup;
            return new Result((double) measured * batch * seq / seconds, measured, seconds, trainable,
                    (marks[3] - marks[2]) / 1e9);
        } finally {
            try {
                Checkpoints.deleteTree(out);
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }

    /** CPU time of this process (all threads), in nanoseconds. */
    static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    static List<TokenizedExample> randomExamples(int count, int seq, int vocab, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<TokenizedExample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int[] ids = new int[seq];
            for (int t = 0; t < seq; t++) {
                ids[t] = 3 + rnd.nextInt(vocab - 3);
            }
            out.add(TokenizedExample.allTokens(ids));
        }
        return out;
    }
}
