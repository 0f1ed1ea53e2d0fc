package dev.tailor.llm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.model.KvCache;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy decoding speed of a model (random-init of a given shape, or loaded): batch 1 through the real
 * {@link Generator}, batch B by feeding B sequences through one KV cache. Reports generated tokens per second
 * after a warm-up run; thread count is PyTorch's (set {@code -Dai.djl.pytorch.num_threads} / OMP_NUM_THREADS).
 */
public final class DecodeBenchmark {

    /** tokensPerSecond counts every generated token of every sequence in the batch. */
    public record Result(int batch, int tokens, double seconds, double tokensPerSecond) {
    }

    private DecodeBenchmark() {
    }

    /** The stories15M shape used by llama2.c (dim 288, 6 layers, 6 heads, hidden 768, vocab 32000, seq 256). */
    public static ModelConfig stories15M() {
        return ModelConfig.llama(288, 6, 6, 6, 768, 32000, 256, true);
    }

    /** The stories110M shape (dim 768, 12 layers, 12 heads, hidden 2048, vocab 32000, seq 1024). */
    public static ModelConfig stories110M() {
        return ModelConfig.llama(768, 12, 12, 12, 2048, 32000, 1024, true);
    }

    /**
     * Decoding speed at each of {@code batches} for the checkpoint in {@code modelDir}, or for a random-init model of
     * {@code randomShape} when {@code modelDir} is null.
     */
    public static List<Result> run(Path modelDir, ModelConfig randomShape, int tokens, int... batches) {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer model = modelDir != null ? CheckpointLoader.loadModel(modelDir, m)
                    : Transformer.random(randomShape, m, 42);
            List<Result> out = new ArrayList<>();
            for (int batch : batches) {
                out.add(run(model, batch, tokens));
            }
            return out;
        }
    }

    public static Result run(Transformer model, int batch, int tokens) {
        decode(model, batch, Math.min(tokens, 16)); // warm-up: allocator, kernels, JIT
        return decode(model, batch, tokens);
    }

    private static Result decode(Transformer model, int batch, int tokens) {
        if (batch == 1) {
            GenerationResult r = new Generator(model, null)
                    .generate(GenerationRequest.greedy(new int[] {1}, tokens), null, null);
            return new Result(1, r.completionTokens(), r.completionTokens() / r.tokensPerSecond(), r.tokensPerSecond());
        }
        long start = System.nanoTime();
        try (NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache(batch, tokens + 1)) {
            long[] next = new long[batch];
            java.util.Arrays.fill(next, 1);
            for (int i = 0; i < tokens; i++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray logits = model.forward(step.create(next, new Shape(batch, 1)), cache, null, false); // (B,1,V)
                    next = logits.argMax(-1).toLongArray();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(batch, batch * tokens, seconds, batch * tokens / seconds);
    }

    /** {@code DecodeBenchmark [15M|110M|tiny] [batch] [tokens]}: prints one JSON line. */
    public static void main(String[] args) {
        String shape = args.length > 0 ? args[0] : "15M";
        ModelConfig cfg = switch (shape) {
            case "110M" -> stories110M();
            case "tiny" -> ModelConfig.llama(64, 6, 4, 4, 192, 320, 512, true); // per-token overhead, not FLOPs
            default -> stories15M();
        };
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        try (Transformer t = Transformer.random(cfg, NDManager.newBaseManager(), 42)) {
            for (int rep = 0; rep < 3; rep++) {
                Result r = run(t, batch, Math.min(tokens, cfg.maxPositionEmbeddings() - 1));
                System.out.printf("{\"batch\": %d, \"tokens\": %d, \"seconds\": %.3f, \"tokens_per_second\": %.1f}%n",
                        r.batch(), r.tokens(), r.seconds(), r.tokensPerSecond());
            }
        }
    }
}
