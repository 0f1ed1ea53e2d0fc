package dev.tailor.llm.train.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A right-padded micro-batch on the host. Row r, position t predicts {@code targets[r][t]} = the
 * token at t+1; {@code mask} is 1 where that target is an answer token, 0 for prompt and padding.
 */
public record MicroBatch(long[] inputs, long[] targets, float[] mask, int rows, int cols, int answerTokens, int tokens) {

    public static MicroBatch of(List<TokenizedExample> examples, int padId) {
        int rows = examples.size();
        int cols = 1;
        for (TokenizedExample e : examples) {
            cols = Math.max(cols, e.length());
        }
        long[] inputs = new long[rows * cols];
        long[] targets = new long[rows * cols];
        float[] mask = new float[rows * cols];
        java.util.Arrays.fill(inputs, padId);
        java.util.Arrays.fill(targets, padId);
        int answer = 0;
        int tokens = 0;
        for (int r = 0; r < rows; r++) {
            TokenizedExample e = examples.get(r);
            int[] ids = e.ids();
            for (int t = 0; t < ids.length; t++) {
                inputs[r * cols + t] = ids[t];
                if (t + 1 < ids.length) {
                    targets[r * cols + t] = ids[t + 1];
                    if (e.lossMask()[t + 1]) {
                        mask[r * cols + t] = 1f;
                        answer++;
                    }
                }
            }
            tokens += ids.length;
        }
        return new MicroBatch(inputs, targets, mask, rows, cols, answer, tokens);
    }

    public NDArray inputIds(NDManager m) {
        return m.create(inputs, new Shape(rows, cols)); // (B, T) int64
    }

    public NDArray targetIds(NDManager m) {
        return m.create(targets, new Shape(rows, cols)); // (B, T) int64
    }

    public NDArray lossMask(NDManager m) {
        return m.create(mask, new Shape(rows, cols)); // (B, T) float32
    }
}
