package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.lora.LoraMerge;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {

    static LanguageModel model;
    static final int[] IDS = TestModels.IDS;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixture.dir());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static LoraAdapter randomAdapter(List<Projection> targets, long seed) {
        return TestModels.randomAdapter(model.transformer(), targets, seed);
    }

    @Test
    void newAdapterStartsAsIdentity() {
        float[][] base = model.logits(IDS, null);
        model.putAdapter("fresh", LoraAdapter.init(model.transformer(),
                new LoraConfig(8, 16, 0.05, List.of(Projection.Q_PROJ, Projection.V_PROJ)), 1));
        try {
            assertEquals(0.0, Fixture.maxDiff(base, model.logits(IDS, "fresh")));
        } finally {
            model.unloadAdapter("fresh");
        }
    }

    @Test
    void peftSaveLoadRoundTripOnAllProjections() throws Exception {
        LoraAdapter a = randomAdapter(List.of(Projection.values()), 2);
        model.putAdapter("all", a);
        try {
            float[][] before = model.logits(IDS, "all");
            assertTrue(Fixture.maxDiff(before, model.logits(IDS, null)) > 1e-3);
            a.savePeft(tmp, "tiny-llama");
            var cfg = new ObjectMapper().readTree(tmp.resolve("adapter_config.json").toFile());
            assertEquals("LORA", cfg.path("peft_type").asText());
            assertEquals(4, cfg.path("r").asInt());
            assertEquals(7, cfg.path("target_modules").size());
            try (SafetensorsReader r = new SafetensorsReader(tmp.resolve("adapter_model.safetensors"))) {
                assertTrue(r.tensors().containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"));
                assertTrue(r.tensors().containsKey("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
                assertEquals(2 * 7 * 2, r.tensors().size());
            }
            model.loadAdapter("reloaded", tmp);
            assertEquals(0.0, Fixture.maxDiff(before, model.logits(IDS, "reloaded")));
        } finally {
            model.unloadAdapter("all");
            model.unloadAdapter("reloaded");
        }
    }

    @Test
    void severalAdaptersShareOneBaseWithoutCopies() {
        float[][] base = model.logits(IDS, null);
        NDArray q0 = model.transformer().parameters().get("model.layers.0.self_attn.q_proj.weight");
        int baseArrays = model.transformer().manager().getManagedArrays().size();
        model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
        model.putAdapter("other", randomAdapter(List.of(Projection.O_PROJ, Projection.GATE_PROJ), 3));
        try {
            float[][] a = model.logits(IDS, "fixture");
            float[][] b = model.logits(IDS, "other");
            assertTrue(Fixture.maxDiff(a, b) > 1e-3);
            assertEquals(0.0, Fixture.maxDiff(base, model.logits(IDS, null)));
            assertSame(q0, model.transformer().parameters().get("model.layers.0.self_attn.q_proj.weight"));
            assertEquals(8, model.adapter("fixture").parameters().size()); // A and B of q,v in 2 layers only
        } finally {
            model.unloadAdapter("fixture");
            model.unloadAdapter("other");
        }
        assertEquals(baseArrays, model.transformer().manager().getManagedArrays().size());
    }

    @Test
    void dropoutActsOnlyInTrainingMode() {
        LoraAdapter a = randomAdapter(List.of(Projection.Q_PROJ, Projection.V_PROJ), 4);
        LoraAdapter withDropout = LoraAdapter.init(model.transformer(), new LoraConfig(4, 8, 0.5,
                List.of(Projection.Q_PROJ, Projection.V_PROJ)), 4);
        try (var m = model.transformer().manager().newSubManager()) {
            a.parameters().forEach((k, v) -> withDropout.parameters().get(k).set(v.toFloatArray()));
            var ids = m.create(new long[] {1, 75, 104, 111}, new ai.djl.ndarray.types.Shape(1, 4));
            float[] eval = model.transformer().forward(ids, null, withDropout, false).toFloatArray();
            float[] plain = model.transformer().forward(ids, null, a, true).toFloatArray();
            float[] train = model.transformer().forward(ids, null, withDropout, true).toFloatArray();
            assertEquals(0.0, maxAbsDiff(eval, plain), 1e-6); // dropout 0.5 is off in eval mode
            assertTrue(maxAbsDiff(eval, train) > 1e-4);       // and on in training mode
        } finally {
            a.close();
            withDropout.close();
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void mergedCheckpointEqualsAdapterLogits() {
        model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
        try {
            float[][] withAdapter = model.logits(IDS, "fixture");
            try (Transformer merged = LoraMerge.merge(model.transformer(), model.adapter("fixture"))) {
                assertTrue(Fixture.maxDiff(withAdapter, TestModels.logits(merged, IDS)) < 1e-4);
                CheckpointWriter.save(tmp, merged, Fixture.dir());
            }
            // the base is untouched by merging
            assertTrue(Fixture.maxDiff(withAdapter, model.logits(IDS, null)) > 1e-3);
            try (LanguageModel exported = LanguageModel.load(tmp)) {
                assertTrue(Fixture.maxDiff(withAdapter, exported.logits(IDS, null)) < 1e-4);
                assertEquals(model.tokenizer().encode("Hello", true).length,
                        exported.tokenizer().encode("Hello", true).length);
            }
        } finally {
            model.unloadAdapter("fixture");
        }
    }
}
