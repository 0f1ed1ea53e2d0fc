package dev.tailor.eval.domain.metrics;

/** Precision, recall and their harmonic mean (F1), each in [0, 1]. */
public record PrecisionRecallF(double precision, double recall, double f) {
    public static final PrecisionRecallF ZERO = new PrecisionRecallF(0, 0, 0);

    public PrecisionRecallF {
        check("precision", precision);
        check("recall", recall);
        check("f", f);
    }

    /** From precision and recall; F is 0 when both are 0. */
    public static PrecisionRecallF of(double precision, double recall) {
        double sum = precision + recall;
        return new PrecisionRecallF(precision, recall, sum > 0 ? 2 * precision * recall / sum : 0);
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }
}
