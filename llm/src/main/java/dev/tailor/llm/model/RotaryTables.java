package dev.tailor.llm.model;

/**
 * cos and sin of every position's rotary angles, (maxPos, D) row-major each, computed in float32 as transformers does
 * (rope_scaling applied). In Hugging Face's rotate-half convention both halves of a row hold the same angles.
 */
public record RotaryTables(float[] cos, float[] sin, int headDim, int positions) {

    public RotaryTables {
        if (cos.length != (long) headDim * positions || sin.length != cos.length) {
            throw new IllegalArgumentException("tables of " + cos.length + " and " + sin.length + " values for "
                    + positions + " positions of " + headDim);
        }
    }

    public static RotaryTables of(ModelConfig config) {
        int d = config.headDim();
        int half = d / 2;
        int maxPos = config.maxPositionEmbeddings();
        float[] c = new float[maxPos * d];
        float[] s = new float[maxPos * d];
        for (int i = 0; i < half; i++) {
            // inv_freq computed in float32 like transformers does
            float invFreq = Rope.scaled(config, (float) (1.0 / Math.pow(config.ropeTheta(), (float) (2 * i) / d)));
            for (int p = 0; p < maxPos; p++) {
                float angle = (float) p * invFreq;
                c[p * d + i] = c[p * d + i + half] = (float) Math.cos(angle);
                s[p * d + i] = s[p * d + i + half] = (float) Math.sin(angle);
            }
        }
        return new RotaryTables(c, s, d, maxPos);
    }
}
