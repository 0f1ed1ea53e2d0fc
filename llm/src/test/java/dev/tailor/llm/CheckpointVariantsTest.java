package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.io.SafetensorsWriter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading variants: own checkpoints, dtypes, shards, GQA/MQA, tied/untied heads, Qwen2 bias, and errors. */
class CheckpointVariantsTest {

    @TempDir
    Path tmp;

    @Test
    void ownCheckpointSurvivesSaveAndLoad() {
        try (Transformer t = TestModels.random(TestModels.llama(4, 2, false), 1)) {
            TestModels.save(t, tmp, SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
            try (LanguageModel m = LanguageModel.load(tmp)) {
                assertEquals(t.config(), m.config());
                assertEquals(0.0, Fixture.maxDiff(TestModels.logits(t, TestModels.IDS),
                        m.logits(TestModels.IDS, null)));
            }
        }
    }

    @Test
    void shardedCheckpointEqualsSingleFile() throws Exception {
        try (Transformer t = TestModels.random(TestModels.llama(4, 2, true), 2)) {
            TestModels.save(t, tmp, SafetensorsWriter.Dtype.F32, 60_000);
            assertTrue(Files.exists(tmp.resolve(CheckpointLoader.INDEX)));
            assertFalse(Files.exists(tmp.resolve(CheckpointLoader.SINGLE)));
            long shards;
            try (var files = Files.list(tmp)) {
                shards = files.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                        .count();
            }
            assertTrue(shards > 2, "expected several shards, got " + shards);
            try (LanguageModel m = LanguageModel.load(tmp)) {
                assertEquals(0.0, Fixture.maxDiff(TestModels.logits(t, TestModels.IDS),
                        m.logits(TestModels.IDS, null)));
            }
        }
    }

    @Test
    void bf16CheckpointEqualsBf16RoundedWeights() {
        checkDtype(SafetensorsWriter.Dtype.BF16, a -> {
            float[] v = a.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.intBitsToFloat((SafetensorsWriter.toBf16(v[i]) & 0xffff) << 16);
            }
            return a.getManager().create(v, a.getShape());
        });
    }

    @Test
    void f16CheckpointEqualsF16RoundedWeights() {
        checkDtype(SafetensorsWriter.Dtype.F16, a -> a.toType(DataType.FLOAT16, true).toType(DataType.FLOAT32, true));
    }

    private void checkDtype(SafetensorsWriter.Dtype dtype, UnaryOperator<NDArray> round) {
        try (Transformer t = TestModels.random(TestModels.llama(4, 2, true), 3)) {
            TestModels.save(t, tmp, dtype, Long.MAX_VALUE);
            try (SafetensorsReader r = new SafetensorsReader(tmp.resolve(CheckpointLoader.SINGLE))) {
                assertEquals(dtype.name(), r.tensors().get("model.norm.weight").dtype());
            }
            Map<String, NDArray> rounded = new LinkedHashMap<>();
            NDManager mm = NDManager.newBaseManager();
            t.parameters().forEach((k, v) -> {
                NDArray r = round.apply(v);
                r.attach(mm);
                rounded.put(k, r);
            });
            try (Transformer ref = new Transformer(t.config(), rounded, mm); LanguageModel m = LanguageModel.load(tmp)) {
                float[][] want = TestModels.logits(ref, TestModels.IDS);
                assertTrue(Fixture.maxDiff(want, m.logits(TestModels.IDS, null)) < 1e-5);
                // and rounding mattered: the F32 model differs
                assertTrue(Fixture.maxDiff(want, TestModels.logits(t, TestModels.IDS)) > 1e-5);
            }
        }
    }

    /** A model with fewer key/value heads equals the MHA model whose k/v heads are repeated (HF repeat_kv). */
    @Test
    void groupedAndMultiQueryAttentionEqualRepeatedHeads() {
        for (int kvHeads : new int[] {2, 1}) {
            try (Transformer gqa = TestModels.random(TestModels.llama(4, kvHeads, true), 4 + kvHeads)) {
                ModelConfig mhaConfig = TestModels.llama(4, 4, true);
                NDManager mm = NDManager.newBaseManager();
                Map<String, NDArray> w = new LinkedHashMap<>(gqa.parameters());
                int group = 4 / kvHeads;
                int d = gqa.config().headDim();
                for (int l = 0; l < 2; l++) {
                    for (Projection p : new Projection[] {Projection.K_PROJ, Projection.V_PROJ}) {
                        String name = Transformer.modulePath(l, p) + ".weight";
                        NDArray kw = w.get(name);                         // (kvH*D, H)
                        NDArray rep = kw.reshape(kvHeads, 1, d, 64).repeat(1, group).reshape(4 * d, 64);
                        rep.attach(mm);
                        w.put(name, rep);
                    }
                }
                try (Transformer mha = new Transformer(mhaConfig, w, mm)) {
                    double diff = Fixture.maxDiff(TestModels.logits(gqa, TestModels.IDS),
                            TestModels.logits(mha, TestModels.IDS));
                    assertTrue(diff < 1e-4, "kvHeads=" + kvHeads + " differs from repeated MHA by " + diff);
                }
            }
        }
    }

    @Test
    void untiedHeadIsSavedAndUsed() throws Exception {
        try (Transformer tied = TestModels.random(TestModels.llama(4, 2, true), 7)) {
            TestModels.save(tied, tmp.resolve("tied"), SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
            try (SafetensorsReader r = new SafetensorsReader(tmp.resolve("tied").resolve(CheckpointLoader.SINGLE))) {
                assertFalse(r.tensors().containsKey("lm_head.weight"));
            }
            // untied copy with lm_head = embedding gives the same logits; a different head gives other logits
            NDManager mm = NDManager.newBaseManager();
            Map<String, NDArray> w = new LinkedHashMap<>(tied.parameters());
            NDArray head = w.get("model.embed_tokens.weight").duplicate();
            head.attach(mm);
            w.put("lm_head.weight", head);
            try (Transformer untied = new Transformer(TestModels.llama(4, 2, false), w, mm)) {
                assertTrue(Fixture.maxDiff(TestModels.logits(tied, TestModels.IDS),
                        TestModels.logits(untied, TestModels.IDS)) < 1e-6);
                TestModels.save(untied, tmp.resolve("untied"), SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
                head.set(new float[(int) head.size()]);
                try (LanguageModel m = LanguageModel.load(tmp.resolve("untied"))) {
                    assertFalse(m.config().tieWordEmbeddings());
                    assertTrue(Fixture.maxDiff(m.logits(TestModels.IDS, null),
                            TestModels.logits(tied, TestModels.IDS)) < 1e-6);
                }
                float[][] zeroHead = TestModels.logits(untied, TestModels.IDS);
                assertEquals(0.0, zeroHead[0][5]);
            }
        }
    }

    @Test
    void qwen2BiasIsLoadedAndApplied() throws Exception {
        try (Transformer t = TestModels.random(TestModels.qwen2(), 8)) {
            assertTrue(t.parameters().containsKey("model.layers.0.self_attn.q_proj.bias"));
            assertFalse(t.parameters().containsKey("model.layers.0.self_attn.o_proj.bias"));
            TestModels.save(t, tmp, SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
            String json = Files.readString(tmp.resolve("config.json"));
            assertTrue(json.contains("Qwen2ForCausalLM"), json);
            try (LanguageModel m = LanguageModel.load(tmp)) {
                assertTrue(m.config().attentionBias());
                float[][] withBias = m.logits(TestModels.IDS, null);
                assertEquals(0.0, Fixture.maxDiff(TestModels.logits(t, TestModels.IDS), withBias));
                m.transformer().parameters().get("model.layers.0.self_attn.k_proj.bias").set(new float[32]);
                assertTrue(Fixture.maxDiff(withBias, m.logits(TestModels.IDS, null)) > 1e-3, "k bias had no effect");
            }
        }
    }

    @Test
    void errorsNameWhatIsWrong() throws Exception {
        try (Transformer t = TestModels.random(TestModels.llama(4, 2, true), 9)) {
            TestModels.save(t, tmp, SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
        }
        String config = Files.readString(tmp.resolve("config.json"));
        Files.writeString(tmp.resolve("config.json"), config.replace("LlamaForCausalLM", "GPT2LMHeadModel"));
        var e1 = assertThrows(IllegalArgumentException.class, () -> LanguageModel.load(tmp));
        assertTrue(e1.getMessage().contains("GPT2LMHeadModel"), e1.getMessage());

        Files.writeString(tmp.resolve("config.json"), config.replace("\"intermediate_size\" : 96",
                "\"intermediate_size\" : 128"));
        var e2 = assertThrows(IllegalArgumentException.class, () -> LanguageModel.load(tmp));
        assertTrue(e2.getMessage().contains("mlp.") && e2.getMessage().contains("shape"), e2.getMessage());

        Files.writeString(tmp.resolve("config.json"), config.replace("\"num_hidden_layers\" : 2",
                "\"num_hidden_layers\" : 3"));
        var e3 = assertThrows(IllegalArgumentException.class, () -> LanguageModel.load(tmp));
        assertTrue(e3.getMessage().contains("model.layers.2."), e3.getMessage());
    }
}
