package dev.tailor.llm.cpu;

import java.util.Arrays;

/**
 * Keys and values of one sequence for CPU decoding, per layer, grown as the sequence grows (doubling), up to
 * {@link #capacity()} tokens. Values are (positions, kvHeads · D) row-major. Keys are in blocks of {@link #L}
 * positions, each (kvHeads, D, L): element (p, h, d) at {@code ((p / L · kvHeads + h) · D + d) · L + p % L}, so the
 * attention scores of L positions are one vector, summed over d without horizontal sums. Not thread-safe: one
 * sequence, one decoding thread.
 */
public final class CpuCache {

    private static final int FIRST = 64;
    /** Positions of one block of keys. */
    static final int L = VectorMath.L;

    final float[][] keys;   // [layer] (allocated positions / L, kvHeads, D, L)
    final float[][] values; // [layer] (allocated positions, kvDim)
    final int kvHeads;
    final int headDim;
    private final int kvDim;
    private final int capacity;
    private int allocated;
    int length;

    CpuCache(int layers, int kvHeads, int headDim, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one token, got capacity " + capacity);
        }
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.kvDim = kvHeads * headDim;
        this.capacity = capacity;
    }

    /** Tokens cached. */
    public int length() {
        return length;
    }

    /** Tokens this cache may hold. */
    public int capacity() {
        return capacity;
    }

    /** Forgets the cached tokens (keeps the memory). */
    public void reset() {
        length = 0;
    }

    /** Takes the keys and values of {@code length} positions, per layer (length, kvH · D) (a prefill done elsewhere). */
    void fill(int length, float[][] keysByLayer, float[][] valuesByLayer) {
        ensure(length);
        for (int l = 0; l < keys.length; l++) {
            for (int p = 0; p < length; p++) {
                put(l, p, keysByLayer[l], p * kvDim, valuesByLayer[l], p * kvDim);
            }
        }
        this.length = length;
    }

    /** Stores position p's keys {@code k[ko, ko + kvDim)} and values {@code v[vo, vo + kvDim)} in layer l. */
    void put(int l, int p, float[] k, int ko, float[] v, int vo) {
        float[] dst = keys[l];
        int block = p / L * kvHeads;
        int lane = p % L;
        for (int h = 0; h < kvHeads; h++) {
            int base = (block + h) * headDim * L + lane;
            for (int d = 0; d < headDim; d++) {
                dst[base + d * L] = k[ko + h * headDim + d];
            }
        }
        System.arraycopy(v, vo, values[l], p * kvDim, kvDim);
    }

    /** Where the keys of kv head h for the block of positions starting at p (a multiple of L) begin. */
    int keyBlock(int p, int h) {
        return (p / L * kvHeads + h) * headDim * L;
    }

    /** Makes room for {@code positions} tokens. */
    void ensure(int positions) {
        if (positions > capacity) {
            throw new IllegalArgumentException("The sequence needs " + positions + " tokens; its cache holds "
                    + capacity);
        }
        if (positions <= allocated) {
            return;
        }
        int size = Math.min(capacity, Math.max(positions, Math.max(FIRST, 2 * allocated)));
        size = (size + L - 1) / L * L; // whole blocks of keys
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Arrays.copyOf(keys[l], size * kvDim);
            values[l] = Arrays.copyOf(values[l], size * kvDim);
        }
        allocated = size;
    }
}
