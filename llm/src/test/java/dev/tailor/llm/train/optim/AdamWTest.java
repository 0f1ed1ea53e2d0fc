package dev.tailor.llm.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** Three AdamW steps against the textbook formula computed in doubles. */
    @Test
    void matchesDecoupledAdamWReference() {
        double[] w = {0.5, -1.0, 2.0, 0.25};
        double[][] g = {{0.1, -0.2, 0.3, 0.0}, {0.05, 0.1, -0.3, 1.0}, {-0.2, 0.2, 0.1, 0.5}};
        double lr = 0.01;
        double wd = 0.1;
        double clip = 0.5;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {0.5f, -1f, 2f, 0.25f}, new ai.djl.ndarray.types.Shape(2, 2));
            double[] mm = new double[4];
            double[] vv = new double[4];
            try (AdamW adam = new AdamW(Map.of("p", p), wd)) {
                for (int t = 1; t <= 3; t++) {
                    float[] gf = new float[4];
                    for (int i = 0; i < 4; i++) {
                        gf[i] = (float) g[t - 1][i];
                    }
                    NDArray grad = m.create(gf, new ai.djl.ndarray.types.Shape(2, 2));
                    double norm = GradientClipping.globalNorm(java.util.List.of(grad));
                    double sc = GradientClipping.scale(norm, clip);
                    adam.step(Map.of("p", p), Map.of("p", grad), lr, sc, m);
                    for (int i = 0; i < 4; i++) {
                        double gi = g[t - 1][i] * sc;
                        mm[i] = 0.9 * mm[i] + 0.1 * gi;
                        vv[i] = 0.999 * vv[i] + 0.001 * gi * gi;
                        double mh = mm[i] / (1 - Math.pow(0.9, t));
                        double vh = vv[i] / (1 - Math.pow(0.999, t));
                        w[i] = w[i] * (1 - lr * wd) - lr * mh / (Math.sqrt(vh) + 1e-8);
                    }
                }
                float[] got = p.toFloatArray();
                float[] want = new float[4];
                for (int i = 0; i < 4; i++) {
                    want[i] = (float) w[i];
                }
                assertArrayEquals(want, got, 1e-5f);
                assertEquals(3, adam.steps());
            }
        }
    }
}
