package dev.tailor.llm.cpu;

/**
 * A weight matrix (rows, cols) in the Java heap, in the format and layout CPU decoding reads it: {@link Float32} (the
 * checkpoint's values) or {@link Int8} (one byte a weight and one float32 scale per output row).
 *
 * <p>Layout: rows in groups of {@link #Q} = 4 vectors of rows, each group column by column (element (r, c) at
 * {@code (r / Q) · cols · Q + c · Q + r % Q}), so a group times an activation row is Q outputs in four vectors with no
 * horizontal sums, and a whole matrix is read front to back as one stream (which the hardware prefetchers follow).
 * The rows after the last whole group are blocks of {@link #L} rows laid out the same way, the last one padded with
 * zero rows. {@link #multiply} is the linear layer of a few activation rows; it is called on disjoint ranges of
 * output rows (multiples of Q) from several threads at once.
 */
abstract sealed class PackedMatrix permits PackedMatrix.Float32, PackedMatrix.Int8 {

    /** Rows of one vector. */
    static final int L = VectorMath.L;
    /** Rows of one group: ranges passed to {@link #multiply} start at multiples of it. */
    static final int Q = 4 * L;

    final int rows;
    final int cols;
    final int grouped;    // rows in whole groups
    final int padded;     // rows with the padding of the last block

    private PackedMatrix(float[] w, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("a matrix needs rows and cols >= 1, got " + rows + " x " + cols);
        }
        if (w.length != (long) rows * cols) {
            throw new IllegalArgumentException(w.length + " values for a " + rows + " x " + cols + " matrix");
        }
        this.rows = rows;
        this.cols = cols;
        this.grouped = rows / Q * Q;
        this.padded = grouped + (rows - grouped + L - 1) / L * L;
        if ((long) padded * cols > Integer.MAX_VALUE - 8) {
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

    /** Where element (r, c) is. */
    final int at(int r, int c) {
        return r < grouped ? (r / Q) * cols * Q + c * Q + r % Q
                : grouped * cols + ((r - grouped) / L) * cols * L + c * L + (r - grouped) % L;
    }

    /** Distance between two columns of the block of L rows starting at row r. */
    final int ld(int r) {
        return r < grouped ? Q : L;
    }

    /**
     * y[i · rows + r] = W[r] · x[i · cols, (i + 1) · cols) for the {@code n} activation rows of {@code x} and the
     * output rows r in [r0, r1); r0 is a multiple of {@link #Q}, r1 too unless it is {@link #rows}.
     */
    final void multiply(float[] x, int n, float[] y, int r0, int r1) {
        int r = r0;
        if (n == 1) {
            for (; r + Q <= Math.min(r1, grouped); r += Q) {
                quad(r, x, y);
            }
        }
        for (; r < r1; r += L) {
            int valid = Math.min(L, rows - r);
            int i = 0;
            for (; i + 2 <= n; i += 2) { // the block's weights read once for two activation rows
                block2(r, x, i * cols, (i + 1) * cols, y, i * rows + r, (i + 1) * rows + r, valid);
            }
            if (i < n) {
                block(r, x, i * cols, y, i * rows + r, valid);
            }
        }
    }

    /** Outputs of the group starting at row r (one activation row). */
    abstract void quad(int r, float[] x, float[] y);

    /** Outputs of the L rows starting at row r. */
    abstract void block(int r, float[] x, int xo, float[] y, int yo, int valid);

    abstract void block2(int r, float[] x, int xo0, int xo1, float[] y, int yo0, int yo1, int valid);

    /** Row {@code r} as float32 into {@code dst[off, off + cols)} (an embedding lookup). */
    abstract void copyRow(int r, float[] dst, int off);

    /** Bytes this matrix takes (what one decoding step reads of it). */
    abstract long bytes();

    /** float32 weights. */
    static final class Float32 extends PackedMatrix {
        private final float[] w;

        Float32(float[] rowMajor, int rows, int cols) {
            super(rowMajor, rows, cols);
            w = new float[padded * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    w[at(r, c)] = rowMajor[r * cols + c];
                }
            }
        }

        @Override
        void quad(int r, float[] x, float[] y) {
            VectorMath.blockQuad(w, at(r, 0), x, 0, cols, y, r);
        }

        @Override
        void block(int r, float[] x, int xo, float[] y, int yo, int valid) {
            VectorMath.block(w, at(r, 0), ld(r), x, xo, cols, y, yo, valid);
        }

        @Override
        void block2(int r, float[] x, int xo0, int xo1, float[] y, int yo0, int yo1, int valid) {
            VectorMath.block2(w, at(r, 0), ld(r), x, xo0, xo1, cols, y, yo0, yo1, valid);
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
        private final float[] scale; // (padded), 0 for padding rows

        Int8(float[] rowMajor, int rows, int cols) {
            super(rowMajor, rows, cols);
            q = new byte[padded * cols];
            scale = new float[padded];
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
        void quad(int r, float[] x, float[] y) {
            VectorMath.blockQuadInt8(q, at(r, 0), scale, r, x, 0, cols, y, r);
        }

        @Override
        void block(int r, float[] x, int xo, float[] y, int yo, int valid) {
            VectorMath.blockInt8(q, at(r, 0), ld(r), scale, r, x, xo, cols, y, yo, valid);
        }

        @Override
        void block2(int r, float[] x, int xo0, int xo1, float[] y, int yo0, int yo1, int valid) {
            VectorMath.block2Int8(q, at(r, 0), ld(r), scale, r, x, xo0, xo1, cols, y, yo0, yo1, valid);
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
