package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Key/value cache of a batch of independent sequences: per layer (rows, kvHeads, capacity, headDim) tensors and one
 * length per row, so every row sits at its own position. A row is filled through {@link #row(int)} (a
 * {@link KvCache} view: the ordinary forward pass prefills it) and then decoded together with the others by
 * {@link Transformer#decode}, which reads rows {@code [0, n)}: keep the decoding rows first ({@link #move}). Not
 * thread-safe. Owns native memory: close it.
 */
public final class BatchKvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;   // [layer] (rows, kvH, cap, D)
    private final NDArray[] values; // [layer] (rows, kvH, cap, D)
    private final int[] lengths;
    private final int capacity;

    BatchKvCache(ModelConfig config, NDManager parent, int rows, int capacity, DataType type) {
        if (rows < 1 || capacity < 1) {
            throw new IllegalArgumentException("A batch cache needs at least one row and one token, got " + rows
                    + " rows of " + capacity);
        }
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.lengths = new int[rows];
        keys = new NDArray[config.numLayers()];
        values = new NDArray[config.numLayers()];
        Shape shape = new Shape(rows, config.numKvHeads(), capacity, config.headDim());
        for (int l = 0; l < keys.length; l++) {
            keys[l] = manager.zeros(shape, type);
            values[l] = manager.zeros(shape, type);
        }
    }

    public int rows() {
        return lengths.length;
    }

    /** Tokens a row holds at most. */
    public int capacity() {
        return capacity;
    }

    /** Tokens cached in {@code row}. */
    public int length(int row) {
        return lengths[row];
    }

    /** Row {@code row} as a batch-1 cache sharing this cache's memory and length (do not close it). */
    public KvCache row(int row) {
        checkRow(row);
        return new KvCache(keys, values, row, capacity, lengths);
    }

    /** Empties a row (its memory is reused by the next sequence). */
    public void clear(int row) {
        checkRow(row);
        lengths[row] = 0;
    }

    /** Copies row {@code from} (its cached tokens and length) into row {@code to}, then clears {@code from}. */
    public void move(int from, int to) {
        checkRow(from);
        checkRow(to);
        if (from == to) {
            return;
        }
        int n = lengths[from];
        if (n > 0) {
            NDIndex src = new NDIndex().addIndices(from).addAllDim().addSliceDim(0, n);
            NDIndex dst = new NDIndex().addIndices(to).addAllDim().addSliceDim(0, n);
            for (int l = 0; l < keys.length; l++) {
                try (NDArray k = keys[l].get(src); NDArray v = values[l].get(src)) {
                    keys[l].set(dst, k);
                    values[l].set(dst, v);
                }
            }
        }
        lengths[to] = n;
        lengths[from] = 0;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= lengths.length) {
            throw new IndexOutOfBoundsException("row " + row + " of a " + lengths.length + "-row cache");
        }
    }

    /** Positions of rows [0, n): the lengths before this step. */
    int[] positions(int n) {
        return Arrays.copyOf(lengths, n);
    }

    /** k, v: (n, kvH, D), stored for row i at position {@code pos[i]} (rows [0, n)). */
    void write(int layer, NDArray rowIdx, NDArray posIdx, NDArray k, NDArray v) {
        NDIndex at = new NDIndex("{}, :, {}", rowIdx, posIdx);
        keys[layer].set(at, k);
        values[layer].set(at, v);
    }

    /** View (n, kvH, total, D) of rows [0, n), owned by {@code m}. */
    NDArray keys(NDManager m, int layer, int n, int total) {
        return keys[layer].get(m, new NDIndex().addSliceDim(0, n).addAllDim().addSliceDim(0, total));
    }

    NDArray values(NDManager m, int layer, int n, int total) {
        return values[layer].get(m, new NDIndex().addSliceDim(0, n).addAllDim().addSliceDim(0, total));
    }

    /** Rows [0, n) hold one more token each. */
    void advance(int n) {
        for (int i = 0; i < n; i++) {
            lengths[i]++;
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
