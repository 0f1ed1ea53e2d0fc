package dev.tailor.dataprep.dedup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts test examples that near-duplicate a training example (estimated Jaccard similarity of their MinHash
 * signatures at or above {@link #THRESHOLD}, looser than deduplication's): scores on them overstate how a model
 * does on new questions, so evaluation warns about them. Training signatures are indexed as they come; test
 * signatures are kept (up to {@link #MAX_TEST}) and checked at the end, so the order of the input does not matter.
 */
public final class LeakageCheck implements AutoCloseable {
    /** Estimated similarity from which a test example counts as leaked. */
    public static final double THRESHOLD = 0.5;
    static final int MAX_TEST = 200_000;

    private final NearDuplicateIndex train;
    private final List<long[]> test = new ArrayList<>();

    public LeakageCheck(int capacity) {
        this.train = new NearDuplicateIndex(THRESHOLD, capacity);
    }

    public void train(long[] signature) {
        train.put(signature, 0);
    }

    public void test(long[] signature) {
        if (test.size() < MAX_TEST) {
            test.add(signature);
        }
    }

    /** The cleaning report's {@code leakage}: testExamples, nearDuplicates, threshold. */
    public Map<String, Object> result() {
        int leaked = 0;
        for (long[] sig : test) {
            if (train.find(sig).found()) {
                leaked++;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("testExamples", test.size());
        out.put("nearDuplicates", leaked);
        out.put("threshold", THRESHOLD);
        out.put("method", "MinHash estimate of word-shingle Jaccard similarity to any train example");
        return out;
    }

    @Override
    public void close() {
        train.close();
    }
}
