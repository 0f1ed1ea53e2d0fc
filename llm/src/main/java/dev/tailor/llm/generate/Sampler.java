package dev.tailor.llm.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from one row of logits: repetition penalty, then greedy or temperature/top-k/top-p. */
final class Sampler {

    private final GenerationRequest req;
    private final SplittableRandom random;

    Sampler(GenerationRequest req) {
        this.req = req;
        this.random = req.seed() == null ? new SplittableRandom() : new SplittableRandom(req.seed());
    }

    /** {@code logits} (V) is modified in place; {@code seen} marks ids already in the sequence. */
    int next(float[] logits, boolean[] seen) {
        if (req.repetitionPenalty() != 1.0) {
            float p = (float) req.repetitionPenalty();
            for (int i = 0; i < logits.length; i++) {
                if (seen[i]) {
                    logits[i] = logits[i] > 0 ? logits[i] / p : logits[i] * p;
                }
            }
        }
        if (req.temperature() == 0) {
            return argmax(logits);
        }
        int v = logits.length;
        float max = logits[argmax(logits)];
        double[] probs = new double[v];
        double sum = 0;
        for (int i = 0; i < v; i++) {
            probs[i] = Math.exp((logits[i] - max) / req.temperature());
            sum += probs[i];
        }
        for (int i = 0; i < v; i++) {
            probs[i] /= sum;
        }
        int[] candidates = candidates(probs);
        double mass = 0;
        for (int id : candidates) {
            mass += probs[id];
        }
        double r = random.nextDouble() * mass;
        for (int id : candidates) {
            r -= probs[id];
            if (r <= 0) {
                return id;
            }
        }
        return candidates[candidates.length - 1];
    }

    /** Ids kept by top-k and top-p, most probable first. */
    private int[] candidates(double[] probs) {
        int v = probs.length;
        int k = req.topK() > 0 ? Math.min(req.topK(), v) : v;
        // Tokens below (1 - topP) / V together hold less than 1 - topP: they can never be in the nucleus.
        double floor = req.topP() < 1 ? (1 - req.topP()) / v : 0;
        int n = 0;
        long[] packed = new long[v];
        for (int i = 0; i < v; i++) {
            if (probs[i] >= floor && probs[i] > 0) {
                // probabilities are non-negative: their float bits sort like the values
                packed[n++] = ((long) Float.floatToIntBits((float) probs[i]) << 32) | i;
            }
        }
        packed = Arrays.copyOf(packed, n);
        Arrays.sort(packed);
        int keep = Math.min(k, n);
        int[] out = new int[keep];
        double cum = 0;
        int taken = 0;
        for (int j = 0; j < keep; j++) {
            int id = (int) packed[n - 1 - j];
            out[taken++] = id;
            cum += probs[id];
            if (req.topP() < 1 && cum >= req.topP()) {
                break;
            }
        }
        return taken == 0 ? new int[] {argmaxD(probs)} : Arrays.copyOf(out, taken);
    }

    static int argmax(float[] x) {
        int best = 0;
        float top = x[0]; // kept in a register: reading x[best] back each step made this 1-2 % of a decoding step
        for (int i = 1; i < x.length; i++) {
            float v = x[i];
            if (v > top) {
                top = v;
                best = i;
            }
        }
        return best;
    }

    private static int argmaxD(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
