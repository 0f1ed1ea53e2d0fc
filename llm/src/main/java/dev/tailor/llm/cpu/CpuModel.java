package dev.tailor.llm.cpu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.RotaryTables;
import dev.tailor.llm.model.Transformer;
import java.util.Map;

/**
 * A {@link Transformer}'s weights copied into the Java heap in a {@link WeightFormat}, laid out for decoding: per
 * layer, q, k and v as one matrix (one pass over the input), gate and up as one, o and down; the embedding (also the
 * output layer when tied) and the output layer in the same format; norms and biases float32.
 */
final class CpuModel {

    final ModelConfig config;
    final WeightFormat format;
    final int hidden;
    final int qDim;      // heads · D
    final int kvDim;     // kvHeads · D
    final int inter;
    final float[][] inputNorm;   // [layer] (H)
    final float[][] postNorm;    // [layer] (H)
    final PackedMatrix[] qkv;    // [layer] (qDim + 2 kvDim, H)
    final float[][] qkvBias;     // [layer] (qDim + 2 kvDim) or null
    final PackedMatrix[] o;      // [layer] (H, qDim)
    final float[][] oBias;       // [layer] (H) or null
    final PackedMatrix[] gateUp; // [layer] (2 I, H)
    final float[][] gateUpBias;  // [layer] (2 I) or null
    final PackedMatrix[] down;   // [layer] (H, I)
    final float[][] downBias;    // [layer] (H) or null
    final float[] finalNorm;     // (H)
    final PackedMatrix embed;    // (V, H)
    final PackedMatrix head;     // (V, H), embed itself when tied
    final RotaryTables rope;

    private CpuModel(Transformer t, WeightFormat format) {
        this.config = t.config();
        this.format = format;
        ModelConfig c = config;
        int n = c.numLayers();
        hidden = c.hiddenSize();
        qDim = Math.toIntExact(c.outFeatures(Projection.Q_PROJ));
        kvDim = Math.toIntExact(c.outFeatures(Projection.K_PROJ));
        inter = c.intermediateSize();
        Map<String, NDArray> p = t.parameters();
        inputNorm = new float[n][];
        postNorm = new float[n][];
        qkv = new PackedMatrix[n];
        qkvBias = new float[n][];
        o = new PackedMatrix[n];
        oBias = new float[n][];
        gateUp = new PackedMatrix[n];
        gateUpBias = new float[n][];
        down = new PackedMatrix[n];
        downBias = new float[n][];
        for (int l = 0; l < n; l++) {
            inputNorm[l] = floats(p.get("model.layers." + l + ".input_layernorm.weight"));
            postNorm[l] = floats(p.get("model.layers." + l + ".post_attention_layernorm.weight"));
            qkv[l] = fused(t, l, format, Projection.Q_PROJ, Projection.K_PROJ, Projection.V_PROJ);
            qkvBias[l] = fusedBias(p, l, Projection.Q_PROJ, Projection.K_PROJ, Projection.V_PROJ);
            o[l] = fused(t, l, format, Projection.O_PROJ);
            oBias[l] = fusedBias(p, l, Projection.O_PROJ);
            gateUp[l] = fused(t, l, format, Projection.GATE_PROJ, Projection.UP_PROJ);
            gateUpBias[l] = fusedBias(p, l, Projection.GATE_PROJ, Projection.UP_PROJ);
            down[l] = fused(t, l, format, Projection.DOWN_PROJ);
            downBias[l] = fusedBias(p, l, Projection.DOWN_PROJ);
        }
        finalNorm = floats(p.get("model.norm.weight"));
        embed = format.pack(floats(t.embedTokens()), c.vocabSize(), hidden);
        head = c.tieWordEmbeddings() ? embed : format.pack(floats(t.lmHead()), c.vocabSize(), hidden);
        rope = RotaryTables.of(c);
    }

    /** Copies (and, for int8, quantizes) the weights of {@code t}, which must live on the CPU. */
    static CpuModel pack(Transformer t, WeightFormat format) {
        if (t.manager().getDevice().isGpu()) {
            throw new IllegalArgumentException("CPU decoding needs a model on the CPU, not " + t.manager().getDevice());
        }
        return new CpuModel(t, format);
    }

    /** Bytes of weights one decoding step reads: every matrix, the output layer (not the embedding lookup). */
    long bytesPerToken() {
        long b = head.bytes();
        for (int l = 0; l < qkv.length; l++) {
            b += qkv[l].bytes() + o[l].bytes() + gateUp[l].bytes() + down[l].bytes();
        }
        return b;
    }

    private static PackedMatrix fused(Transformer t, int layer, WeightFormat format, Projection... parts) {
        int cols = Math.toIntExact(t.config().inFeatures(parts[0]));
        int rows = 0;
        for (Projection p : parts) {
            rows += Math.toIntExact(t.config().outFeatures(p));
        }
        float[] w = new float[Math.multiplyExact(rows, cols)];
        int at = 0;
        for (Projection p : parts) {
            float[] part = floats(t.weight(layer, p));
            System.arraycopy(part, 0, w, at, part.length);
            at += part.length;
        }
        return format.pack(w, rows, cols);
    }

    /** The parts' biases end to end (zeros for a part without one), or null when none has a bias. */
    private static float[] fusedBias(Map<String, NDArray> p, int layer, Projection... parts) {
        boolean any = false;
        int size = 0;
        for (Projection part : parts) {
            NDArray w = p.get(Transformer.modulePath(layer, part) + ".weight");
            size += Math.toIntExact(w.getShape().get(0));
            any |= p.containsKey(Transformer.modulePath(layer, part) + ".bias");
        }
        if (!any) {
            return null;
        }
        float[] b = new float[size];
        int at = 0;
        for (Projection part : parts) {
            String name = Transformer.modulePath(layer, part);
            int out = Math.toIntExact(p.get(name + ".weight").getShape().get(0));
            NDArray bias = p.get(name + ".bias");
            if (bias != null) {
                System.arraycopy(floats(bias), 0, b, at, out);
            }
            at += out;
        }
        return b;
    }

    /** The values of a CPU array as float32 (widened from float16). */
    static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}
