package dev.tailor.llm.train;

import ai.djl.ndarray.NDArray;

/** Next-token cross-entropy that counts only masked-in (answer) positions. */
public final class AnswerLoss {
    private AnswerLoss() {
    }

    /**
     * Sum of -log p(target) over positions where mask is 1.
     *
     * @param logits (B, T, V) float32
     * @param targets (B, T) int64, the token each position must predict
     * @param mask (B, T) float32, 1 = counts, 0 = prompt or padding
     * @return a scalar; divide by the number of counted tokens for the mean
     */
    public static NDArray sum(NDArray logits, NDArray targets, NDArray mask) {
        long b = targets.getShape().get(0);
        long t = targets.getShape().get(1);
        NDArray logProbs = logits.logSoftmax(-1); // (B, T, V)
        NDArray picked = logProbs.gather(targets.reshape(b, t, 1), -1).reshape(b, t); // (B, T)
        return picked.mul(mask).sum().neg(); // ()
    }
}
