package dev.tailor.eval.domain.stats;

import java.util.Locale;

/**
 * A two-sided confidence interval [lower, upper] at level {@code confidence} (e.g. 0.95), in the units of the
 * statistic it bounds.
 */
public record ConfidenceInterval(double lower, double upper, double confidence) {

    public ConfidenceInterval {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        if (!Double.isFinite(lower) || !Double.isFinite(upper) || lower > upper) {
            throw new IllegalArgumentException("a confidence interval needs finite bounds with lower <= upper, got ["
                    + lower + ", " + upper + "]");
        }
    }

    /** Whether {@code value} lies in the interval (bounds included). */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    /** The level in percent, e.g. 95 for 0.95. */
    public double percent() {
        return 100 * confidence;
    }

    /** The level in percent for a sentence: {@code 95}, or {@code 97.5} when it is not whole. */
    public String level() {
        double p = percent();
        return Math.abs(p - Math.rint(p)) < 1e-9 ? String.valueOf(Math.round(p))
                : String.format(Locale.ROOT, "%.1f", p);
    }
}
