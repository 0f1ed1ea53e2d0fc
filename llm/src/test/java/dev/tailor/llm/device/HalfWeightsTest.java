package dev.tailor.llm.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.LanguageModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reduced serving precision (float16 weights and activations on the CPU, inference's
 * {@code tailor.inference.weight-type=float16}) stays within the stated tolerance of float32 on the shipped
 * tiny-llama: every logit within {@link #RELATIVE_TOLERANCE} of the largest float32 logit, and the same top-1 at every
 * position where float32's best logit leads the second by more than twice that (closer ones may swap, as they would
 * between two BLAS libraries).
 */
class HalfWeightsTest {

    /** Largest difference of a logit over the largest |logit|, as stated in inference's settings and the README. */
    static final float RELATIVE_TOLERANCE = 0.01f;

    private static final Path TINY = Path.of("src/test/resources/tiny-llama");

    @Test
    void float16LogitsStayWithinToleranceOfFloat32() {
        Compute half = new Compute(Device.cpu(), DataType.FLOAT16, DataType.FLOAT32);
        try (LanguageModel fp32 = LanguageModel.load(TINY); LanguageModel fp16 = LanguageModel.load(TINY, half);
             NDManager m = NDManager.newBaseManager()) {
            assertEquals(DataType.FLOAT16, fp16.transformer().parameters().get("model.norm.weight").getDataType());
            long[] ids = new long[96];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i == 0 ? 1 : (i * 37 + 11) % 320; // every part of the vocabulary, a long context
            }
            int vocab = fp32.config().vocabSize();
            float[] a = fp32.transformer().forward(m.create(ids, new Shape(1, ids.length)), null, null, false)
                    .toFloatArray();
            float[] b = fp16.transformer().forward(m.create(ids, new Shape(1, ids.length)), null, null, false)
                    .toFloatArray();
            float maxDiff = 0;
            float maxLogit = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                maxLogit = Math.max(maxLogit, Math.abs(a[i]));
            }
            System.out.printf("float16 vs float32 on tiny-llama: max |logit diff| %.5f (largest |logit| %.2f)%n",
                    maxDiff, maxLogit);
            float tolerance = RELATIVE_TOLERANCE * maxLogit;
            assertTrue(maxDiff <= tolerance, "max |logit diff| " + maxDiff + " > " + tolerance);
            int same = 0;
            int clear = 0;
            for (int pos = 0; pos < ids.length; pos++) {
                int best = argmax(a, pos * vocab, vocab, -1);
                int second = argmax(a, pos * vocab, vocab, best);
                boolean agree = best == argmax(b, pos * vocab, vocab, -1);
                same += agree ? 1 : 0;
                if (a[pos * vocab + best] - a[pos * vocab + second] > 2 * tolerance) {
                    clear++;
                    assertTrue(agree, "top-1 at position " + pos + " with a clear margin");
                }
            }
            System.out.printf("top-1 agrees at %d of %d positions (%d with a clear margin)%n", same, ids.length, clear);
            assertTrue(clear > ids.length / 2, "the check must cover most positions, covered " + clear);
        }
    }

    private static int argmax(float[] v, int from, int n, int skip) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (i != skip && (best < 0 || v[from + i] > v[from + best])) {
                best = i;
            }
        }
        return best;
    }
}
