package dev.tailor.llm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packed layouts against a plain row-major product: every shape around the group and block sizes (whole groups,
 * a tail of blocks, a padded last block), one to three activation rows, ranges starting at group boundaries, and the
 * embedding lookup.
 */
class PackedMatrixTest {

    @BeforeAll
    static void vectorApi() {
        assumeTrue(CpuDecode.supported(), "the JVM runs without --add-modules=jdk.incubator.vector");
    }

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void everyShapeMultipliesLikeTheRowMajorMatrix() {
        Random rnd = new Random(1);
        int q = PackedMatrix.Q;
        int[] rowsList = {1, 5, PackedMatrix.L, PackedMatrix.L + 1, q - 1, q, q + 1, 2 * q + PackedMatrix.L + 3, 300};
        int[] colsList = {1, 3, 17, 64};
        for (int rows : rowsList) {
            for (int cols : colsList) {
                float[] w = random(rnd, rows * cols);
                for (WeightFormat format : WeightFormat.values()) {
                    PackedMatrix m = format.pack(w, rows, cols);
                    for (int n = 1; n <= 3; n++) {
                        float[] x = random(rnd, n * cols);
                        float[] y = new float[n * rows];
                        // two ranges split at a group boundary, as the worker pool cuts them
                        int cut = Math.min(rows, q);
                        m.multiply(x, n, y, 0, cut);
                        m.multiply(x, n, y, cut, rows);
                        for (int i = 0; i < n; i++) {
                            for (int r = 0; r < rows; r++) {
                                float[] row = new float[cols];
                                m.copyRow(r, row, 0);
                                double want = 0;
                                double wantExact = 0;
                                double mag = 0;
                                for (int c = 0; c < cols; c++) {
                                    want += row[c] * x[i * cols + c];
                                    wantExact += w[r * cols + c] * x[i * cols + c];
                                    mag += Math.abs(w[r * cols + c] * x[i * cols + c]);
                                }
                                String what = format + " " + rows + "x" + cols + " n=" + n + " row " + r + " item " + i;
                                assertEquals(want, y[i * rows + r], 1e-4 * (1 + mag), what);
                                // the lookup gives the weights back (int8: within half a step of the row)
                                double tolerance = format == WeightFormat.FLOAT32 ? 1e-4 : 0.02;
                                assertEquals(wantExact, want, tolerance * (1 + mag), what + " (lookup)");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aMatrixNeedsRowsAndColumnsAndFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.float32(new float[0], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> PackedMatrix.float32(new float[5], 2, 3));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.int8(new float[] {1, Float.NaN}, 1, 2));
        assertEquals("row 0 holds a value that is not finite", nan.getMessage());
    }
}
