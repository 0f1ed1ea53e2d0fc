package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated key/value cache of one generation: per layer (B, kvHeads, capacity, headDim) tensors written in
 * place. Not thread-safe: one cache per request. Owns native memory: close it.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;   // [layer] (B, kvH, cap, D)
    private final NDArray[] values; // [layer] (B, kvH, cap, D)
    private final int batch;
    private final int capacity;
    private int length;

    KvCache(ModelConfig config, NDManager parent, int batch, int capacity) {
        this.manager = parent.newSubManager();
        this.batch = batch;
        this.capacity = capacity;
        keys = new NDArray[config.numLayers()];
        values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(shape);
            values[l] = manager.zeros(shape);
        }
    }

    /** Tokens already cached. */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets the cached tokens (the memory is reused). */
    public void reset() {
        length = 0;
    }

    void checkFits(int b, int total) {
        if (b != batch) {
            throw new IllegalArgumentException("KV cache was made for batch " + batch + ", got " + b);
        }
        if (total > capacity) {
            throw new IllegalArgumentException("KV cache holds " + capacity + " tokens, " + total + " needed");
        }
    }

    /** k, v: (B, kvH, T, D) stored at positions [start, start + T). */
    void write(int layer, int start, NDArray k, NDArray v) {
        long t = k.getShape().get(2);
        NDIndex at = new NDIndex().addAllDim().addAllDim().addSliceDim(start, start + t);
        keys[layer].set(at, k);
        values[layer].set(at, v);
    }

    /** View (B, kvH, total, D) of the cached keys, owned by {@code m}. */
    NDArray keys(NDManager m, int layer, int total) {
        return keys[layer].get(m, new NDIndex().addAllDim().addAllDim().addSliceDim(0, total));
    }

    NDArray values(NDManager m, int layer, int total) {
        return values[layer].get(m, new NDIndex().addAllDim().addAllDim().addSliceDim(0, total));
    }

    void advance(int t) {
        length += t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
