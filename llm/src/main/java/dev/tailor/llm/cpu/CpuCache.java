package dev.tailor.llm.cpu;

import java.util.Arrays;

/**
 * Keys and values of one sequence for CPU decoding: per layer (positions, kvHeads · D) row-major, grown as the
 * sequence grows (doubling), up to {@link #capacity()} tokens. Not thread-safe: one sequence, one decoding thread.
 */
public final class CpuCache {

    private static final int FIRST = 64;

    final float[][] keys;   // [layer] (allocated positions, kvDim)
    final float[][] values; // [layer] (allocated positions, kvDim)
    private final int kvDim;
    private final int capacity;
    private int allocated;
    int length;

    CpuCache(int layers, int kvDim, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a cache holds at least one token, got capacity " + capacity);
        }
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
        this.kvDim = kvDim;
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
            System.arraycopy(keysByLayer[l], 0, keys[l], 0, length * kvDim);
            System.arraycopy(valuesByLayer[l], 0, values[l], 0, length * kvDim);
        }
        this.length = length;
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
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Arrays.copyOf(keys[l], size * kvDim);
            values[l] = Arrays.copyOf(values[l], size * kvDim);
        }
        allocated = size;
    }
}
