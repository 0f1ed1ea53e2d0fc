package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.stats.PairedComparison;

/**
 * One metric, baseline vs tuned, paired over the examples that have it.
 *
 * @param metric         the metric's key, e.g. {@code rouge_l}
 * @param label          its name for people
 * @param higherIsBetter whether larger values are better (false for answer loss)
 * @param comparison     means, mean gain with its interval, win/tie/loss, McNemar for exact match
 */
public record MetricRow(String metric, String label, boolean higherIsBetter, PairedComparison comparison) {
    public MetricRow {
        if (metric == null || label == null || comparison == null) {
            throw new IllegalArgumentException("a metric row needs the metric and its comparison");
        }
    }
}
