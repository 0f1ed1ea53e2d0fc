package dev.tailor.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.model.KvCache;
import dev.tailor.llm.model.Transformer;

/**
 * Greedy decoding speed with the KV cache: a 1-token prompt per sequence, then {@code tokens}
 * new tokens for each of {@code batch} sequences; tokens/s = batch x tokens / decode time.
 */
final class DecodeBench {
    private DecodeBench() {
    }

    static double tokensPerSecond(Transformer model, int batch, int tokens) {
        try (KvCache cache = model.newCache(batch, tokens + 1); NDManager m = NDManager.newBaseManager()) {
            long[] next = new long[batch];
            java.util.Arrays.fill(next, 1L); // BOS
            long t0 = 0;
            for (int i = 0; i <= tokens; i++) {
                if (i == 1) {
                    t0 = System.nanoTime(); // the first forward fills the cache: excluded like a prompt
                }
                try (NDScope scope = new NDScope(); NDManager step = m.newSubManager()) {
                    NDArray in = step.create(next, new Shape(batch, 1)); // (B, 1) int64
                    NDArray logits = model.forward(in, cache, null, false); // (B, 1, V)
                    next = logits.argMax(-1).toType(DataType.INT64, false).toLongArray(); // (B, 1)
                }
            }
            return (double) batch * tokens / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
