package dev.tailor.cleaning.domain;

import java.util.Arrays;

/**
 * Near-duplicate detection with MinHash over word 3-gram shingles and LSH banding.
 * <p>Each kept text gets a 64-value MinHash signature, stored as 8-bit values (b-bit MinHash: 64 bytes
 * per text). Its 64 values are cut into bands; a text that shares a band with an earlier one is
 * compared to it and is a near-duplicate when the estimated Jaccard similarity reaches the threshold.
 * The band shape is chosen so that the LSH S-curve sits just below the threshold (high recall).
 */
public final class NearDuplicateIndex {
    private static final int K = 64;
    private final double threshold;
    private final int bands;
    private final int rows;
    private final LongIntMap buckets = new LongIntMap();
    private byte[] signatures = new byte[K * 1024];
    private int count;

    private final int capacity;

    public NearDuplicateIndex(double threshold) {
        this(threshold, Integer.MAX_VALUE / K);
    }

    /** @param capacity texts remembered at most; later texts are checked but not added (bounded memory) */
    public NearDuplicateIndex(double threshold, int capacity) {
        this.threshold = threshold;
        this.capacity = Math.min(capacity, Integer.MAX_VALUE / K);
        int[][] shapes = {{32, 2}, {16, 4}, {8, 8}, {4, 16}};
        int[] pick = shapes[0];
        for (int[] s : shapes) {
            if (Math.pow(1.0 / s[0], 1.0 / s[1]) <= threshold - 0.05) {
                pick = s;
            }
        }
        this.bands = pick[0];
        this.rows = pick[1];
    }

    /** Result of {@link #add}: the index of the earlier near-duplicate (or -1) and its similarity. */
    public record Match(int duplicateOf, double similarity) {
    }

    /** Adds {@code text} unless it near-duplicates an earlier text; returns which one it duplicates. */
    public Match add(String text) {
        long[] sig = signature(text);
        long[] keys = new long[bands];
        for (int b = 0; b < bands; b++) {
            long h = 0x9E3779B97F4A7C15L * (b + 1);
            for (int r = 0; r < rows; r++) {
                h = mix(h ^ sig[b * rows + r]);
            }
            keys[b] = h;
            int other = buckets.get(h);
            if (other >= 0) {
                double sim = similarity(sig, other);
                if (sim >= threshold) {
                    return new Match(other, sim);
                }
            }
        }
        if (count >= capacity) {
            return new Match(-1, 0);
        }
        if ((count + 1) * K > signatures.length) {
            signatures = Arrays.copyOf(signatures, (int) Math.min((long) signatures.length * 2, (long) capacity * K));
        }
        for (int i = 0; i < K; i++) {
            signatures[count * K + i] = (byte) sig[i];
        }
        for (long key : keys) {
            buckets.putIfAbsent(key, count);
        }
        count++;
        return new Match(-1, 0);
    }

    private double similarity(long[] sig, int other) {
        int same = 0;
        for (int i = 0; i < K; i++) {
            if ((byte) sig[i] == signatures[other * K + i]) {
                same++;
            }
        }
        double m = (double) same / K;
        double chance = 1.0 / 256;
        return Math.max(0, (m - chance) / (1 - chance));
    }

    /** MinHash signature (64 values) of the word 3-gram set of {@code text}, lower-cased. */
    static long[] signature(String text) {
        long[] sig = new long[K];
        Arrays.fill(sig, Long.MAX_VALUE);
        long w1 = 0;
        long w2 = 0;
        int words = 0;
        long h = 0xcbf29ce484222325L;
        boolean inWord = false;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            if (Character.isLetterOrDigit(c)) {
                h = (h ^ Character.toLowerCase(c)) * 0x100000001b3L;
                inWord = true;
            } else if (inWord) {
                words++;
                if (words >= 3) {
                    addShingle(sig, mix(mix(w1 * 31 + w2) * 31 + h));
                }
                w1 = w2;
                w2 = h;
                h = 0xcbf29ce484222325L;
                inWord = false;
            }
        }
        if (words < 3) { // short texts: the whole text is one shingle
            addShingle(sig, mix(w1 * 31 + w2));
        }
        return sig;
    }

    private static void addShingle(long[] sig, long shingle) {
        for (int i = 0; i < K; i++) {
            long v = mix(shingle + 0x9E3779B97F4A7C15L * (i + 1));
            if (v < sig[i]) {
                sig[i] = v;
            }
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * Open-addressing map from a band hash to the first text that had it (absent = -1). Only the upper 32
     * bits of the (well mixed) hash are kept, 8 bytes per entry; a collision only costs one extra
     * signature comparison.
     */
    static final class LongIntMap {
        private int[] keys = new int[1 << 12];
        private int[] values = new int[1 << 12];
        private int size;

        int get(long hash) {
            int k = (int) (hash >>> 32);
            int mask = keys.length - 1;
            for (int i = k & mask; values[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == k) {
                    return values[i] - 1;
                }
            }
            return -1;
        }

        void putIfAbsent(long hash, int v) {
            if (size * 2 >= keys.length) {
                int[] ok = keys;
                int[] ov = values;
                keys = new int[ok.length * 2];
                values = new int[ok.length * 2];
                size = 0;
                for (int i = 0; i < ok.length; i++) {
                    if (ov[i] != 0) {
                        insert(ok[i], ov[i]);
                    }
                }
            }
            if (get(hash) < 0) {
                insert((int) (hash >>> 32), v + 1);
            }
        }

        private void insert(int key, int stored) {
            int mask = keys.length - 1;
            int i = key & mask;
            while (values[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = stored;
            size++;
        }
    }
}
