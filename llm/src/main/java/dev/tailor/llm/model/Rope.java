package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in Hugging Face's rotate-half convention: {@code x * cos + rotate_half(x) * sin} with
 * {@code rotate_half(x) = cat(-x[D/2:], x[:D/2])}, done as one matmul with a fixed (D, D) matrix.
 */
final class Rope {

    private final NDArray cos;    // (maxPos, D)
    private final NDArray sin;    // (maxPos, D)
    private final NDArray rotate; // (D, D)

    /** Tables computed in float32 (as transformers does), kept in {@code type}. */
    Rope(ModelConfig config, NDManager manager, DataType type) {
        int d = config.headDim();
        int half = d / 2;
        int maxPos = config.maxPositionEmbeddings();
        RotaryTables tables = RotaryTables.of(config);
        cos = typed(manager.create(tables.cos(), new Shape(maxPos, d)), type);
        sin = typed(manager.create(tables.sin(), new Shape(maxPos, d)), type);
        float[] r = new float[d * d];
        for (int j = 0; j < half; j++) {
            r[(j + half) * d + j] = -1f;      // out[j] = -x[j + D/2]
            r[j * d + j + half] = 1f;         // out[j + D/2] = x[j]
        }
        rotate = typed(manager.create(r, new Shape(d, d)), type);
    }

    private static NDArray typed(NDArray a, DataType type) {
        if (a.getDataType() == type) {
            return a;
        }
        NDArray out = a.toType(type, false);
        a.close();
        return out;
    }

    /** inv_freq after rope_scaling, as transformers' _compute_linear/_compute_llama3_parameters. */
    static float scaled(ModelConfig config, float invFreq) {
        ModelConfig.RopeScaling rs = config.ropeScaling();
        if (rs == null) {
            return invFreq;
        }
        if (rs.type().equals("linear")) {
            return (float) (invFreq / rs.factor());
        }
        double oldCtx = rs.originalMaxPositionEmbeddings();
        double lowWavelen = oldCtx / rs.lowFreqFactor();
        double highWavelen = oldCtx / rs.highFreqFactor();
        double wavelen = 2 * Math.PI / invFreq;
        if (wavelen < highWavelen) {
            return invFreq;
        }
        if (wavelen > lowWavelen) {
            return (float) (invFreq / rs.factor());
        }
        double smooth = (oldCtx / wavelen - rs.lowFreqFactor()) / (rs.highFreqFactor() - rs.lowFreqFactor());
        return (float) ((1 - smooth) * invFreq / rs.factor() + smooth * invFreq);
    }

    /** cos rows of positions [from, to) in {@code m}: (T, D). */
    NDArray cos(NDManager m, int from, int to) {
        return cos.get(m, new NDIndex().addSliceDim(from, to));
    }

    NDArray sin(NDManager m, int from, int to) {
        return sin.get(m, new NDIndex().addSliceDim(from, to));
    }

    /** cos rows of the given positions (n) in {@code m}: (n, D). */
    NDArray cosAt(NDManager m, NDArray positions) {
        return cos.get(m, new NDIndex("{}", positions));
    }

    NDArray sinAt(NDManager m, NDArray positions) {
        return sin.get(m, new NDIndex("{}", positions));
    }

    /** x: (B, heads, T, D); cos/sin: (T, D), or (B, 1, 1, D) for one position per row. */
    NDArray apply(NDArray x, NDArray cosT, NDArray sinT) {
        return x.mul(cosT).add(x.matMul(rotate).mul(sinT));
    }
}
