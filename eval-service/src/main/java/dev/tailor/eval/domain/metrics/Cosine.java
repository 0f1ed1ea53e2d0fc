package dev.tailor.eval.domain.metrics;

/** Cosine similarity of two vectors, accumulated in double precision. */
public final class Cosine {

    private Cosine() {
    }

    /**
     * cos(a, b) = a·b / (|a| |b|) in [-1, 1], for vectors of shape (d) each; 0 when either vector is all zeros
     * (it points nowhere, so nothing is shared), as scikit-learn's {@code cosine_similarity} does.
     */
    public static double similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("cosine similarity needs vectors of one length, got " + a.length
                    + " and " + b.length);
        }
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        if (!Double.isFinite(dot + aa + bb)) {
            throw new IllegalArgumentException("cosine similarity of vectors with NaN or infinite entries");
        }
        if (aa == 0 || bb == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, dot / (Math.sqrt(aa) * Math.sqrt(bb))));
    }
}
