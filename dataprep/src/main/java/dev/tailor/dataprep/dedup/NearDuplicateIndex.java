package dev.tailor.dataprep.dedup;

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
    /** Band hash (upper 32 bits) → index + 1 of the first text that had it (lower 32 bits). */
    private final MappedLongTable buckets = new MappedLongTable(0xFFFF_FFFF_0000_0000L);
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
            int other = (int) buckets.get(bandKey(sig, b)) - 1;
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
            signatures = signatures.grown(slots * K);
            tags = tags.grown(slots);
        }
        long[] packed = pack(sig);
        for (int w = 0; w < WORDS; w++) {
            signatures.putLong((long) count * K + w * 8L, packed[w]);
        }
        tags.put(count, (byte) tag);
        for (int b = 0; b < bands; b++) {
            buckets.putIfAbsent(bandKey(sig, b) & 0xFFFF_FFFF_0000_0000L | (count + 1L));
        }
        count++;
        return true;
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

    /** SplitMix64's finalizer: a well-mixed 64-bit hash of {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
