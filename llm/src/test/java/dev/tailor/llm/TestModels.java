package dev.tailor.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.io.SafetensorsWriter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small random checkpoints for tests, written with the project's own CheckpointWriter. */
final class TestModels {

    private TestModels() {
    }

    static ModelConfig llama(int heads, int kvHeads, boolean tied) {
        return ModelConfig.llama(64, 2, heads, kvHeads, 96, 320, 64, tied);
    }

    static ModelConfig qwen2() {
        return new ModelConfig("Qwen2ForCausalLM", 64, 2, 4, 2, 16, 96, 320, 1_000_000.0, 1e-6, true, true, 64, null,
                List.of(2));
    }

    /** A random model with weights scaled up so that attention is peaky (errors show in the logits). */
    static Transformer random(ModelConfig config, long seed) {
        Transformer t = Transformer.random(config, NDManager.newBaseManager(), seed);
        Random rnd = new Random(seed);
        for (Map.Entry<String, NDArray> e : t.parameters().entrySet()) {
            NDArray a = e.getValue();
            float[] v = new float[(int) a.size()];
            boolean norm = e.getKey().contains("norm");
            for (int i = 0; i < v.length; i++) {
                v[i] = norm ? 1f + 0.1f * (float) rnd.nextGaussian() : 0.15f * (float) rnd.nextGaussian();
            }
            a.set(v);
        }
        return t;
    }

    static void save(Transformer t, Path dir, SafetensorsWriter.Dtype dtype, long shardBytes) {
        CheckpointWriter.save(dir, t.config(), t.parameters(), Fixture.dir(), dtype, shardBytes);
    }

    static float[][] logits(Transformer t, int[] ids) {
        try (NDManager m = t.manager().newSubManager()) {
            long[] l = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                l[i] = ids[i];
            }
            float[] flat = t.forward(m.create(l, new Shape(1, ids.length)), null, null, false).toFloatArray();
            int v = t.config().vocabSize();
            float[][] rows = new float[ids.length][v];
            for (int i = 0; i < ids.length; i++) {
                System.arraycopy(flat, i * v, rows[i], 0, v);
            }
            return rows;
        }
    }

    /** A rank-4 adapter on {@code targets} with random A and B (a fresh adapter's B is zero: no effect). */
    static LoraAdapter randomAdapter(Transformer base, List<Projection> targets, long seed) {
        LoraAdapter a = LoraAdapter.init(base, new LoraConfig(4, 8, 0.0, targets), seed);
        Random rnd = new Random(seed);
        for (NDArray p : a.parameters().values()) {
            float[] v = new float[(int) p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.2f * (float) rnd.nextGaussian();
            }
            p.set(v);
        }
        return a;
    }

    static final int[] IDS = {1, 75, 104, 111, 111, 114, 47, 35, 122, 114, 117, 111, 103, 36};
}
