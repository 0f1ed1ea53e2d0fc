package dev.tailor.cleaning.domain;

import java.util.Arrays;

/**
 * Near-duplicate detection with MinHash over word 3-gram shingles and LSH banding.
 * <p>Each kept text gets a 64-value MinHash signature, stored as 8-bit values (b-bit MinHash: 64 bytes
 * per text). Its 64 values are cut into bands; a text that shares a band with an earlier one is
 * compared to it and is a near-duplicate when the estimated Jaccard similarity reaches the threshold.
 * The band shape is chosen so that the LSH S-curve sits just below the threshold (high recall).
 * <p>Signatures and band buckets live in {@link MappedArray}s (about 64 + 16 × bands bytes per text, off
 * the heap), so the heap stays flat however large the dataset. Each text may carry a small tag (e.g. the
 * split an example of the previous version was in), returned with its matches.
 */
public final class NearDuplicateIndex implements AutoCloseable {
    private static final int K = 64;
    private static final int WORDS = K / 8;
    private final double threshold;
    private final int bands;
    private final int rows;
    private final BandBuckets buckets = new BandBuckets();
    private MappedArray signatures = new MappedArray((long) K << 12);
    private MappedArray tags = new MappedArray(1 << 12);
    private long slots = 1 << 12;
    private int count;

    private final int capacity;

    public NearDuplicateIndex(double threshold) {
        this(threshold, Integer.MAX_VALUE - 1);
    }

    /** @param capacity texts remembered at most; later texts are checked but not added (bounded disk) */
    public NearDuplicateIndex(double threshold, int capacity) {
        this.threshold = threshold;
        this.capacity = Math.min(capacity, Integer.MAX_VALUE - 1);
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

    /** A match: the index of the earlier near-duplicate (or -1), its estimated similarity and its tag. */
    public record Match(int duplicateOf, double similarity, int tag) {
        static final Match NONE = new Match(-1, 0, 0);

        public boolean found() {
            return duplicateOf >= 0;
        }
    }

    /** Adds {@code text} unless it near-duplicates an earlier text; returns which one it duplicates. */
    public Match add(String text) {
        long[] sig = signature(text);
        Match m = find(sig);
        if (!m.found()) {
            put(sig, 0);
        }
        return m;
    }

    /** The earlier text that {@code sig} (from {@link #signature}) near-duplicates, if any. */
    public Match find(long[] sig) {
        long[] packed = pack(sig);
        for (int b = 0; b < bands; b++) {
            int other = buckets.get(bandKey(sig, b));
            if (other >= 0) {
                double sim = similarity(packed, other);
                if (sim >= threshold) {
                    return new Match(other, sim, tags.get(other));
                }
            }
        }
        return Match.NONE;
    }

    /** Remembers {@code sig} with {@code tag} (0..127), unless the index is full; returns false then. */
    public boolean put(long[] sig, int tag) {
        if (count >= capacity) {
            return false;
        }
        if (count == slots) {
            slots *= 2;
            signatures = copy(signatures, slots * K);
            tags = copy(tags, slots);
        }
        long[] packed = pack(sig);
        for (int w = 0; w < WORDS; w++) {
            signatures.putLong((long) count * K + w * 8L, packed[w]);
        }
        tags.put(count, (byte) tag);
        for (int b = 0; b < bands; b++) {
            buckets.putIfAbsent(bandKey(sig, b), count);
        }
        count++;
        return true;
    }

    public int size() {
        return count;
    }

    @Override
    public void close() {
        signatures.close();
        tags.close();
        buckets.close();
    }

    private long bandKey(long[] sig, int b) {
        long h = 0x9E3779B97F4A7C15L * (b + 1);
        for (int r = 0; r < rows; r++) {
            h = mix(h ^ sig[b * rows + r]);
        }
        return h;
    }

    /** The low 8 bits of each signature value, 8 to a long. */
    private static long[] pack(long[] sig) {
        long[] packed = new long[WORDS];
        for (int i = 0; i < K; i++) {
            packed[i >>> 3] |= (sig[i] & 0xFF) << ((i & 7) * 8);
        }
        return packed;
    }

    private double similarity(long[] packed, int other) {
        int same = 0;
        for (int w = 0; w < WORDS; w++) {
            long x = packed[w] ^ signatures.getLong((long) other * K + w * 8L);
            // one high bit per zero byte of x (a byte equal in both signatures)
            long t = (x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL;
            same += Long.bitCount(~(t | x | 0x7F7F7F7F7F7F7F7FL));
        }
        double m = (double) same / K;
        double chance = 1.0 / 256;
        return Math.max(0, (m - chance) / (1 - chance));
    }

    private static MappedArray copy(MappedArray from, long size) {
        MappedArray to = new MappedArray(size);
        for (long i = 0; i < from.size(); i += 8) {
            to.putLong(i, from.getLong(i));
        }
        from.close();
        return to;
    }

    /** MinHash signature (64 values) of the word 3-gram set of {@code text}, lower-cased. */
    public static long[] signature(String text) {
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
     * Open-addressing map from a band hash to the first text that had it (absent = -1), in a
     * {@link MappedArray}. Only the upper 32 bits of the (well mixed) hash are kept, 8 bytes per slot; a
     * collision only costs one extra signature comparison.
     */
    private static final class BandBuckets implements AutoCloseable {
        private MappedArray table = new MappedArray(8L << 12);
        private long slots = 1 << 12;
        private long size;

        int get(long hash) {
            long k = hash >>> 32;
            long mask = slots - 1;
            for (long i = k & mask; ; i = (i + 1) & mask) {
                long e = table.getLong(i * 8);
                if (e == 0) {
                    return -1;
                }
                if (e >>> 32 == k) {
                    return (int) e - 1;
                }
            }
        }

        void putIfAbsent(long hash, int v) {
            if (size * 2 >= slots) {
                MappedArray bigger = new MappedArray(slots * 16);
                for (long i = 0; i < slots; i++) {
                    long e = table.getLong(i * 8);
                    if (e != 0) {
                        insert(bigger, slots * 2, e);
                    }
                }
                table.close();
                table = bigger;
                slots *= 2;
            }
            if (get(hash) < 0) {
                insert(table, slots, (hash >>> 32) << 32 | (v + 1L));
                size++;
            }
        }

        private static void insert(MappedArray t, long slots, long entry) {
            long mask = slots - 1;
            long i = (entry >>> 32) & mask;
            while (t.getLong(i * 8) != 0) {
                i = (i + 1) & mask;
            }
            t.putLong(i * 8, entry);
        }

        @Override
        public void close() {
            table.close();
        }
    }
}
