package dev.tailor.eval.domain.slices;

/**
 * One metric over a slice's examples that have it for both models.
 *
 * @param count     examples with the metric for both models
 * @param meanBase  base model's mean (metric units)
 * @param meanTuned tuned model's mean (metric units)
 * @param meanGain  mean gain, signed so that positive is better
 */
public record MetricSummary(int count, double meanBase, double meanTuned, double meanGain) {

    public MetricSummary {
        if (count < 1) {
            throw new IllegalArgumentException("a metric summary needs at least one example, got " + count);
        }
        if (!Double.isFinite(meanBase) || !Double.isFinite(meanTuned) || !Double.isFinite(meanGain)) {
            throw new IllegalArgumentException("metric means must be finite");
        }
    }
}
