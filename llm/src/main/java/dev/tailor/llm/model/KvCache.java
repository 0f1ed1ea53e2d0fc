package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.device.Devices;

/**
 * Preallocated key/value cache of one generation: per layer (B, kvHeads, capacity, headDim) tensors written in
 * place, all B rows at the same length. It is also the view of one row of a {@link BatchKvCache} (sharing its
 * tensors and its length), which is how a sequence joining a running batch is prefilled. Not thread-safe: one cache
 * per request. Owns native memory (unless it is a row view): close it.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager; // null for a row view: the batch cache owns the tensors
    private final NDArray[] keys;    // [layer] (rows, kvH, cap, D)
    private final NDArray[] values;  // [layer] (rows, kvH, cap, D)
    private final int row;           // first row of this cache in the tensors
    private final int batch;
    private final int capacity;
    private final int[] lengths;     // lengths[row] = tokens cached in this cache's rows

    KvCache(ModelConfig config, NDManager parent, int batch, int capacity, DataType type) {
        this.manager = parent.newSubManager();
        this.row = 0;
        this.batch = batch;
        this.capacity = capacity;
        this.lengths = new int[1];
        keys = new NDArray[config.numLayers()];
        values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(shape, type);
            values[l] = manager.zeros(shape, type);
        }
    }

    /** Row {@code row} of a batch cache's tensors, its length kept in {@code lengths[row]}. */
    KvCache(NDArray[] keys, NDArray[] values, int row, int capacity, int[] lengths) {
        this.manager = null;
        this.keys = keys;
        this.values = values;
        this.row = row;
        this.batch = 1;
        this.capacity = capacity;
        this.lengths = lengths;
    }

    /** Tokens already cached. */
    public int length() {
        return lengths[row];
    }

    public int capacity() {
        return capacity;
    }

    /** Forgets the cached tokens (the memory is reused). */
    public void reset() {
        lengths[row] = 0;
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
        NDIndex at = new NDIndex().addSliceDim(row, row + batch).addAllDim().addSliceDim(start, start + t);
        keys[layer].set(at, k);
        values[layer].set(at, v);
    }

    /** View (B, kvH, total, D) of the cached keys, owned by {@code m}. */
    NDArray keys(NDManager m, int layer, int total) {
        return keys[layer].get(m, new NDIndex().addSliceDim(row, row + batch).addAllDim().addSliceDim(0, total));
    }

    NDArray values(NDManager m, int layer, int total) {
        return values[layer].get(m, new NDIndex().addSliceDim(row, row + batch).addAllDim().addSliceDim(0, total));
    }

    /**
     * The cached keys (or values) of row 0 of layer {@code layer}, position by position: (length, kvH · D) float32
     * row-major, the layout of the Java engine's cache.
     */
    public float[] positionMajor(int layer, boolean values) {
        try (NDManager m = (manager != null ? manager : keys[layer].getManager()).newSubManager()) {
            NDArray a = (values ? values(m, layer, length()) : keys(m, layer, length()))
                    .get(new NDIndex().addSliceDim(0, 1));                                 // (1, kvH, S, D)
            return Devices.toFloat32(a.transpose(0, 2, 1, 3)).toFloatArray();          // (1, S, kvH, D)
        }
    }

    void advance(int t) {
        lengths[row] += t;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
