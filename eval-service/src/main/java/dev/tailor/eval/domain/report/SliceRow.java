package dev.tailor.eval.domain.report;

import java.util.List;

/**
 * One slice of the test examples with every metric over it.
 *
 * @param by      what the examples were grouped by, e.g. {@code source kind} ({@code all} for every example)
 * @param value   the slice's value, e.g. {@code ticket}
 * @param count   examples in the slice
 * @param metrics per metric: baseline mean, tuned mean, mean gain
 */
public record SliceRow(String by, String value, int count, List<Cell> metrics) {
    public SliceRow {
        metrics = List.copyOf(metrics);
    }

    /** One metric over a slice's examples that have it. */
    public record Cell(String metric, int count, double meanBase, double meanTuned, double meanGain) {
    }

    /** {@code source kind = ticket}. */
    public String name() {
        return "all".equals(by) ? "all examples" : by + " = " + value;
    }

    public Cell cell(String metric) {
        return metrics.stream().filter(c -> c.metric().equals(metric)).findFirst().orElse(null);
    }
}
