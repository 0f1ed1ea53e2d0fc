package dev.tailor.eval.domain.slices;

import java.util.List;

/**
 * Buckets of a count (words, turns) by ascending inclusive upper bounds: from 0 with bounds [10, 30], "0–10 words",
 * "11–30 words" and "> 30 words".
 *
 * @param min         the smallest count there can be (0 words, 1 turn)
 * @param upperBounds ascending, each at least {@code min}
 * @param unit        plural unit, e.g. {@code words}
 * @param singular    singular unit, e.g. {@code word}, for a bucket of exactly one
 */
public record LengthBuckets(int min, List<Integer> upperBounds, String unit, String singular) {
    /** Reference answer length in words. */
    public static final LengthBuckets ANSWER_WORDS = new LengthBuckets(0, List.of(10, 30, 100, 300), "words",
            "word");
    /** Conversation length in user turns. */
    public static final LengthBuckets TURNS = new LengthBuckets(1, List.of(1, 2, 4), "turns", "turn");

    public LengthBuckets {
        upperBounds = List.copyOf(upperBounds);
        if (upperBounds.isEmpty()) {
            throw new IllegalArgumentException("length buckets need at least one upper bound");
        }
        for (int i = 0; i < upperBounds.size(); i++) {
            if (upperBounds.get(i) < min || i > 0 && upperBounds.get(i) <= upperBounds.get(i - 1)) {
                throw new IllegalArgumentException("bucket bounds must be ascending and >= " + min + ", got "
                        + upperBounds);
            }
        }
        if (unit == null || unit.isBlank() || singular == null || singular.isBlank()) {
            throw new IllegalArgumentException("length buckets need a unit, e.g. \"words\" and \"word\"");
        }
    }

    /** The label of the bucket holding {@code n}. */
    public String label(int n) {
        int low = min;
        for (int high : upperBounds) {
            if (n <= high) {
                if (low == high) {
                    return high + " " + (high == 1 ? singular : unit);
                }
                return low + "–" + high + " " + unit;
            }
            low = high + 1;
        }
        return "> " + upperBounds.get(upperBounds.size() - 1) + " " + unit;
    }

    /** Position of {@code n}'s bucket, for ordering labels. */
    public int index(int n) {
        for (int i = 0; i < upperBounds.size(); i++) {
            if (n <= upperBounds.get(i)) {
                return i;
            }
        }
        return upperBounds.size();
    }
}
