package dev.tailor.eval.domain.gate;

import dev.tailor.eval.domain.metrics.Metric;

/**
 * A generation metric must improve: the chosen statistic of its gain (tuned − base, signed so that positive is
 * better; metric units) must be above {@code minGain}.
 *
 * @param metric  the per-example metric, e.g. {@code rouge_l}
 * @param on      compare the mean gain or the lower confidence bound of the gain (default: lower bound)
 * @param minGain threshold the statistic must exceed (default 0)
 */
public record MetricCondition(Metric metric, Bound on, Double minGain) {

    public MetricCondition {
        if (metric == null) {
            throw new IllegalArgumentException("a metric condition needs a metric, e.g. \"rouge_l\"");
        }
        on = on == null ? Bound.LOWER_BOUND : on;
        minGain = minGain == null ? 0.0 : minGain;
        if (!Double.isFinite(minGain) || Math.abs(minGain) > 1e6) {
            throw new IllegalArgumentException("minGain of " + metric.key() + " must be a finite number, got "
                    + minGain);
        }
    }
}
