package dev.tailor.llm.train.batch;

import dev.tailor.common.events.TrainingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The deterministic order of training data: examples are cut to maxSeqLength, optionally packed,
 * shuffled per epoch with a seed-derived permutation, and grouped into optimizer steps of
 * gradientAccumulation micro-batches of batchSize examples. Step s always gets the same data,
 * so a resumed run only needs the step number.
 */
public final class BatchPlan {
    private final List<TokenizedExample> examples;
    private final int batchSize;
    private final int accumulation;
    private final long seed;
    private final int padId;
    private final int stepsPerEpoch;
    private final int totalSteps;
    private final int dropped;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public BatchPlan(List<TokenizedExample> raw, TrainingParams params, int padId) {
        TrainingParams.Data data = params.data();
        List<TokenizedExample> kept = new ArrayList<>();
        int drop = 0;
        for (TokenizedExample e : raw) {
            TokenizedExample t = e.truncate(data.maxSeqLength());
            if (t.answerTokens() > 0) {
                kept.add(t);
            } else {
                drop++;
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no training example has an answer token within maxSeqLength="
                    + data.maxSeqLength() + " (" + raw.size() + " examples given); raise maxSeqLength or check the data");
        }
        this.examples = data.packing() ? Packing.pack(kept, data.maxSeqLength(), params.seed()) : kept;
        this.dropped = drop;
        this.batchSize = data.batchSize();
        this.accumulation = data.gradientAccumulation();
        this.seed = params.seed();
        this.padId = padId;
        int perStep = batchSize * accumulation;
        this.stepsPerEpoch = (examples.size() + perStep - 1) / perStep;
        TrainingParams.Schedule schedule = params.schedule();
        this.totalSteps = schedule.maxSteps() > 0 ? schedule.maxSteps() : schedule.epochs() * stepsPerEpoch;
    }

    public int totalSteps() {
        return totalSteps;
    }

    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Examples left out because no answer token survived truncation. */
    public int dropped() {
        return dropped;
    }

    public int rows() {
        return examples.size();
    }

    /** 0-based epoch of optimizer step {@code step}. */
    public int epochOf(int step) {
        return step / stepsPerEpoch;
    }

    /** Position of {@code step} inside its epoch, in examples. */
    public int offsetOf(int step) {
        return (step % stepsPerEpoch) * batchSize * accumulation;
    }

    /** The micro-batches of optimizer step {@code step} (0-based). */
    public List<MicroBatch> step(int step) {
        int[] order = order(epochOf(step));
        int from = offsetOf(step);
        int to = Math.min(order.length, from + batchSize * accumulation);
        List<MicroBatch> out = new ArrayList<>();
        for (int start = from; start < to; start += batchSize) {
            List<TokenizedExample> rows = new ArrayList<>();
            for (int i = start; i < Math.min(to, start + batchSize); i++) {
                rows.add(examples.get(order[i]));
            }
            out.add(MicroBatch.of(rows, padId));
        }
        return out;
    }

    private int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = permutation(examples.size(), new Random(seed * 1_000_003L + epoch));
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    static int[] permutation(int n, Random rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
