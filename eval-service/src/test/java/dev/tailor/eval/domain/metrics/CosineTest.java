package dev.tailor.eval.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CosineTest {

    @Test
    void matchesNumpy() {
        // numpy: dot(a, b) / (norm(a) * norm(b)) in float64 of these float32 vectors (metric-references/references.txt)
        float[] a = {0.1f, -0.3f, 0.5f, 0.7f};
        float[] b = {0.2f, 0.1f, -0.4f, 0.9f};
        assertEquals(0.45374258316763383, Cosine.similarity(a, b), 1e-12);
        assertEquals(1.0, Cosine.similarity(a, a), 1e-12);
        assertEquals(-1.0, Cosine.similarity(a, new float[] {-0.1f, 0.3f, -0.5f, -0.7f}), 1e-12);
    }

    @Test
    void zeroVectorsShareNothingAndMismatchedShapesFail() {
        assertEquals(0.0, Cosine.similarity(new float[3], new float[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Cosine.similarity(new float[3], new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> Cosine.similarity(new float[] {Float.NaN}, new float[] {1}));
    }
}
