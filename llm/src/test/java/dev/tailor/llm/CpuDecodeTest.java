package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.cpu.CpuCache;
import dev.tailor.llm.cpu.CpuDecode;
import dev.tailor.llm.cpu.WeightFormat;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.ProjectionDelta;
import dev.tailor.llm.model.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CPU decoding in Java against PyTorch's forward pass on the same weights: float32 logits agree to float rounding on
 * every position (prefilled in one chunk, in several, or token by token; several sequences in one step), for Llama
 * with grouped-query attention, tied and untied, Qwen2 with biases, and LoRA adapters per row; int8 weights stay
 * within the stated tolerance of float32.
 */
class CpuDecodeTest {

    /** float32: max |Java − PyTorch| relative to the largest |logit| of the row. */
    static final double FP32_TOLERANCE = 1e-4;
    /** int8 per channel: the same bound (WeightFormat.INT8's documented tolerance). */
    static final double INT8_TOLERANCE = 0.08;

    @BeforeAll
    static void vectorApi() {
        assumeTrue(CpuDecode.supported(), "the JVM runs without --add-modules=jdk.incubator.vector: CPU decoding is off");
    }

    /** Logits (T, V') of PyTorch's forward pass over {@code ids} with {@code delta}. */
    static float[][] torch(Transformer t, int[] ids, ProjectionDelta delta) {
        try (NDManager m = t.manager().newSubManager()) {
            long[] l = Arrays.stream(ids).asLongStream().toArray();
            var out = t.forward(m.create(l, new Shape(1, ids.length)), null, delta, false);
            int v = Math.toIntExact(out.getShape().get(2));
            float[] flat = out.toFloatArray();
            float[][] rows = new float[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                rows[i] = Arrays.copyOfRange(flat, i * v, (i + 1) * v);
            }
            return rows;
        }
    }

    /** max |a − b| / max |b|. */
    static double relative(float[] a, float[] b) {
        assertEquals(b.length, a.length, "vocabulary width");
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Token by token through the Java engine, logits of every position. */
    static float[][] stepwise(CpuDecode engine, int[] ids, ProjectionDelta delta) {
        CpuCache cache = engine.newCache(ids.length);
        float[][] rows = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            rows[i] = engine.prefill(cache, new int[] {ids[i]}, delta);
        }
        assertEquals(ids.length, cache.length());
        return rows;
    }

    static void assertClose(float[][] want, float[][] got, double tolerance, String what) {
        for (int i = 0; i < want.length; i++) {
            double r = relative(got[i], want[i]);
            assertTrue(r <= tolerance, what + ", position " + i + ": relative error " + r + " > " + tolerance);
        }
    }

    @Test
    void float32MatchesPyTorchOnEveryShapeAndAdapter() {
        List<ModelConfig> shapes = List.of(TestModels.llama(4, 2, true), TestModels.llama(4, 4, false),
                TestModels.qwen2());
        for (ModelConfig shape : shapes) {
            try (Transformer t = TestModels.random(shape, 7);
                 LoraAdapter lora = TestModels.randomAdapter(t, List.of(Projection.values()), 11);
                 CpuDecode engine = CpuDecode.create(t, WeightFormat.FLOAT32, 2)) {
                for (ProjectionDelta delta : Arrays.asList(null, lora)) {
                    String what = shape.architecture() + " heads " + shape.numHeads() + "/" + shape.numKvHeads()
                            + (delta == null ? "" : " + LoRA");
                    float[][] want = torch(t, TestModels.IDS, delta);
                    assertClose(want, stepwise(engine, TestModels.IDS, delta), FP32_TOLERANCE, what);
                    // the prompt in two chunks: the last logits of each chunk
                    CpuCache cache = engine.newCache(64);
                    int cut = 5;
                    float[] first = engine.prefill(cache, Arrays.copyOfRange(TestModels.IDS, 0, cut), delta);
                    float[] second = engine.prefill(cache, Arrays.copyOfRange(TestModels.IDS, cut,
                            TestModels.IDS.length), delta);
                    assertTrue(relative(first, want[cut - 1]) <= FP32_TOLERANCE, what + ": first chunk");
                    assertTrue(relative(second, want[want.length - 1]) <= FP32_TOLERANCE, what + ": second chunk");
                }
            }
        }
    }

    @Test
    void aBatchOfSequencesAtDifferentPositionsWithDifferentAdaptersGivesEachItsOwnLogits() {
        try (Transformer t = TestModels.random(TestModels.llama(4, 2, true), 3);
             LoraAdapter a = TestModels.randomAdapter(t, List.of(Projection.Q_PROJ, Projection.DOWN_PROJ), 5);
             LoraAdapter b = TestModels.randomAdapter(t, List.of(Projection.V_PROJ, Projection.GATE_PROJ), 6);
             CpuDecode engine = CpuDecode.create(t, WeightFormat.FLOAT32, 2)) {
            int[][] prompts = {Arrays.copyOf(TestModels.IDS, 3), Arrays.copyOf(TestModels.IDS, 9),
                    Arrays.copyOfRange(TestModels.IDS, 2, 7)};
            List<ProjectionDelta> deltas = Arrays.asList(null, a, b);
            CpuCache[] caches = new CpuCache[3];
            for (int i = 0; i < 3; i++) {
                caches[i] = engine.newCache(32);
                engine.prefill(caches[i], prompts[i], deltas.get(i));
            }
            int[] next = {40, 41, 42};
            float[][] got = engine.decode(caches, next, deltas);
            for (int i = 0; i < 3; i++) {
                int[] whole = Arrays.copyOf(prompts[i], prompts[i].length + 1);
                whole[prompts[i].length] = next[i];
                float[][] want = torch(t, whole, deltas.get(i));
                assertTrue(relative(got[i], want[want.length - 1]) <= FP32_TOLERANCE, "row " + i);
                assertEquals(whole.length, caches[i].length());
            }
        }
    }

    @Test
    void greedyGenerationOfTheFixtureCheckpointIsTheSameAsOnPyTorch() {
        try (LanguageModel model = LanguageModel.load(Fixture.dir());
             CpuDecode engine = CpuDecode.create(model.transformer(), WeightFormat.FLOAT32, 2)) {
            model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
            for (String adapter : Arrays.asList(null, "fixture")) {
                int[] prompt = BatchDecodingTest.prompt(12, 4);
                int[] want = model.generate(dev.tailor.llm.generate.GenerationRequest.greedy(prompt, 24)
                        .withAdapter(adapter), null).newIds();
                ProjectionDelta delta = model.adapter(adapter);
                CpuCache cache = engine.newCache(64);
                float[] logits = engine.prefill(cache, prompt, delta);
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < want.length; i++) {
                    int id = argMax(logits);
                    got.add(id);
                    logits = engine.decode(new CpuCache[] {cache}, new int[] {id}, Arrays.asList(delta))[0];
                }
                assertArrayEquals(want, got.stream().mapToInt(Integer::intValue).toArray(), "adapter " + adapter);
            }
        }
    }

    @Test
    void theModelsBatchDecoderAndGeneratorOnTheEngineGiveWhatPyTorchGives() {
        try (LanguageModel model = LanguageModel.load(Fixture.dir())) {
            model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
            model.putAdapter("other", TestModels.randomAdapter(model.transformer(), List.of(Projection.O_PROJ,
                    Projection.GATE_PROJ, Projection.V_PROJ), 3));
            List<dev.tailor.llm.generate.GenerationRequest> reqs = BatchDecodingTest.mixed();
            List<dev.tailor.llm.generate.GenerationResult> torch = new ArrayList<>();
            for (var r : reqs) {
                torch.add(model.generate(r, null));
            }
            assertEquals(null, model.cpuDecode());
            CpuDecode engine = model.useCpuDecode(WeightFormat.FLOAT32, 2);
            assertEquals(engine, model.cpuDecode());
            List<dev.tailor.llm.generate.GenerationResult> batched = model.generateBatch(reqs);
            try (var decoder = model.batchDecoder(new dev.tailor.llm.generate.BatchSettings(4, 64, 128))) {
                assertTrue(decoder.onCpuEngine());
            }
            for (int i = 0; i < reqs.size(); i++) {
                String what = "request " + i + " (" + reqs.get(i).adapter() + ")";
                assertArrayEquals(torch.get(i).ids(), batched.get(i).ids(), what + ", batched on the engine");
                assertEquals(torch.get(i).text(), batched.get(i).text(), what);
                assertEquals(torch.get(i).finishReason(), batched.get(i).finishReason(), what);
                assertArrayEquals(torch.get(i).ids(), model.generate(reqs.get(i), null).ids(), what + ", alone");
            }
        }
    }

    @Test
    void int8WeightsStayWithinTheStatedToleranceOfFloat32() {
        try (LanguageModel model = LanguageModel.load(Fixture.dir());
             CpuDecode fp32 = CpuDecode.create(model.transformer(), WeightFormat.FLOAT32, 1);
             CpuDecode int8 = CpuDecode.create(model.transformer(), WeightFormat.INT8, 1)) {
            int[] prompt = BatchDecodingTest.prompt(40, 9);
            float[][] a = stepwise(fp32, prompt, null);
            float[][] b = stepwise(int8, prompt, null);
            double worst = 0;
            int agree = 0;
            for (int i = 0; i < prompt.length; i++) {
                worst = Math.max(worst, relative(b[i], a[i]));
                agree += argMax(a[i]) == argMax(b[i]) ? 1 : 0;
            }
            System.out.printf("int8 vs float32 on the fixture checkpoint: max relative logit error %.4f, top-1 the"
                    + " same at %d of %d positions; %d vs %d bytes per token%n", worst, agree, prompt.length,
                    int8.bytesPerToken(), fp32.bytesPerToken());
            assertTrue(worst <= INT8_TOLERANCE, "int8 logits off by " + worst);
            assertTrue(int8.bytesPerToken() * 3 < fp32.bytesPerToken());
        }
    }

    @Test
    void badInputIsRefusedWithWhatWasWrong() {
        try (Transformer t = TestModels.random(TestModels.llama(4, 2, true), 3);
             CpuDecode engine = CpuDecode.create(t, WeightFormat.FLOAT32, 1)) {
            CpuCache small = engine.newCache(4);
            var outside = assertThrows(IllegalArgumentException.class,
                    () -> engine.prefill(small, new int[] {1, 320}, null));
            assertTrue(outside.getMessage().contains("outside the vocabulary"), outside.getMessage());
            var full = assertThrows(IllegalArgumentException.class,
                    () -> engine.prefill(small, new int[] {1, 2, 3, 4, 5}, null));
            assertTrue(full.getMessage().contains("cache holds 4"), full.getMessage());
            assertEquals(0, small.length(), "a refused step leaves the cache as it was");
        }
    }
}
