package dev.tailor.llm.cpu;

/**
 * A weight matrix (rows, cols) in the Java heap, in the format and layout CPU decoding reads it: {@link Float32} (the
 * checkpoint's values) or {@link Int8} (one byte a weight and one float32 scale per output row). Rows are packed in
 * blocks of {@link VectorMath#L} (one vector of rows), each block column by column: element (r, c) is at
 * {@code (r / L) · cols · L + c · L + r % L}, the last block padded with zero rows. A block times an activation row is
 * then L rows' outputs in one vector with no horizontal sums, reading the block's weights front to back.
 * {@link #multiply} is the linear layer of a few activation rows; it is called on disjoint ranges of output rows from
 * several threads at once.
 */
abstract sealed class PackedMatrix permits PackedMatrix.Float32, PackedMatrix.Int8 {

    static final int L = VectorMath.L;

    final int rows;
    final int cols;
    final int blocks;

    private PackedMatrix(float[] w, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a matrix needs rows and cols >= 1, got " + rows + " x " + cols);
        }
        if (w.length != (long) rows * cols) {
            throw new IllegalArgumentException(w.length + " values for a " + rows + " x " + cols + " matrix");
        }
        this.rows = rows;
        this.cols = cols;
        this.blocks = (rows + L - 1) / L;
        if ((long) blocks * L * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + rows + " x " + cols + " matrix is too large for one Java array");
        }
    }

    /** The matrix as it is, from row-major {@code w}. */
    static PackedMatrix float32(float[] w, int rows, int cols) {
        return new Float32(w, rows, cols);
    }

    /** The matrix quantized to int8 per output row ({@link Int8}), from row-major {@code w}. */
    static PackedMatrix int8(float[] w, int rows, int cols) {
        return new Int8(w, rows, cols);
    }

    /**
     * y[i · rows + r] = W[r] · x[i · cols, (i + 1) · cols) for the {@code n} activation rows of {@code x} and the
     * output rows r in [r0, r1); r0 is a multiple of {@link #L}, r1 too unless it is {@link #rows}.
     */
    void multiply(float[] x, int n, float[] y, int r0, int r1) {
        for (int b = r0 / L; b * L < r1; b++) {
            int valid = Math.min(L, rows - b * L);
            int i = 0;
            for (; i + 2 <= n; i += 2) { // the block's weights read once for two activation rows
                block2(b, x, i * cols, (i + 1) * cols, y, i * rows + b * L, (i + 1) * rows + b * L, valid);
            }
            if (i < n) {
                block(b, x, i * cols, y, i * rows + b * L, valid);
            }
        }
    }

    abstract void block(int b, float[] x, int xo, float[] y, int yo, int valid);

    abstract void block2(int b, float[] x, int xo0, int xo1, float[] y, int yo0, int yo1, int valid);

    /** Row {@code r} as float32 into {@code dst[off, off + cols)} (an embedding lookup). */
    abstract void copyRow(int r, float[] dst, int off);

    /** Bytes this matrix takes (what one decoding step reads of it). */
    abstract long bytes();

    /** Where element (r, c) of the packed layout is. */
    final int at(int r, int c) {
        return (r / L) * cols * L + c * L + r % L;
    }

    /** float32 weights. */
    static final class Float32 extends PackedMatrix {
        private final float[] w;

        Float32(float[] rowMajor, int rows, int cols) {
            super(rowMajor, rows, cols);
            w = new float[blocks * L * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    w[at(r, c)] = rowMajor[r * cols + c];
                }
            }
        }

        @Override
        void multiply(float[] x, int n, float[] y, int r0, int r1) {
            if (n != 1) {
                super.multiply(x, n, y, r0, r1);
                return;
            }
            int b = r0 / L;
            for (; (b + 4) * L <= Math.min(r1, rows); b += 4) { // whole blocks four at a time
                VectorMath.blockQuad(w, b * cols * L, x, 0, cols, y, b * L);
            }
            for (; b * L < r1; b++) {
                block(b, x, 0, y, b * L, Math.min(L, rows - b * L));
            }
        }

        @Override
        void block(int b, float[] x, int xo, float[] y, int yo, int valid) {
            VectorMath.block(w, b * cols * L, x, xo, cols, y, yo, valid);
        }

        @Override
        void block2(int b, float[] x, int xo0, int xo1, float[] y, int yo0, int yo1, int valid) {
            VectorMath.block2(w, b * cols * L, x, xo0, xo1, cols, y, yo0, yo1, valid);
        }

        @Override
        void copyRow(int r, float[] dst, int off) {
            for (int c = 0; c < cols; c++) {
                dst[off + c] = w[at(r, c)];
            }
        }

        @Override
        long bytes() {
            return 4L * rows * cols;
        }
    }

    /**
     * int8 weights, symmetric per output row: {@code W[r][c] ≈ scale[r] · q[r][c]} with
     * {@code scale[r] = max_c |W[r][c]| / 127}. The error of a weight is at most half a step of its row.
     */
    static final class Int8 extends PackedMatrix {
        private final byte[] q;
        private final float[] scale; // (blocks · L), 0 for padding rows

        Int8(float[] rowMajor, int rows, int cols) {
            super(rowMajor, rows, cols);
            q = new byte[blocks * L * cols];
            scale = new float[blocks * L];
            for (int r = 0; r < rows; r++) {
                float max = 0;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, Math.abs(rowMajor[r * cols + c]));
                }
                if (!Float.isFinite(max)) {
                    throw new IllegalArgumentException("row " + r + " holds a value that is not finite");
                }
                float s = max / 127f;
                scale[r] = s;
                if (s > 0) {
                    for (int c = 0; c < cols; c++) {
                        q[at(r, c)] = (byte) Math.max(-127, Math.min(127, Math.round(rowMajor[r * cols + c] / s)));
                    }
                }
            }
        }

        @Override
        void block(int b, float[] x, int xo, float[] y, int yo, int valid) {
            VectorMath.blockInt8(q, b * cols * L, scale, b * L, x, xo, cols, y, yo, valid);
        }

        @Override
        void block2(int b, float[] x, int xo0, int xo1, float[] y, int yo0, int yo1, int valid) {
            VectorMath.block2Int8(q, b * cols * L, scale, b * L, x, xo0, xo1, cols, y, yo0, yo1, valid);
        }

        @Override
        void copyRow(int r, float[] dst, int off) {
            float s = scale[r];
            for (int c = 0; c < cols; c++) {
                dst[off + c] = q[at(r, c)] * s;
            }
        }

        @Override
        long bytes() {
            return (long) rows * cols + 4L * rows;
        }
    }
}
