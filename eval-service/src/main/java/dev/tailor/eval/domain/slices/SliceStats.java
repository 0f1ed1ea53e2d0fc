package dev.tailor.eval.domain.slices;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric aggregated over the examples of one slice.
 *
 * @param key        how the examples were grouped (null for all examples together)
 * @param value      the slice's value, e.g. {@code ticket} or {@code 11–30 words} ({@code all} for the whole set)
 * @param count      examples in the slice
 * @param metrics    per metric: mean base, mean tuned, mean gain
 * @param exampleIds the slice's example ids, in input order
 */
public record SliceStats(SliceKey key, String value, int count, Map<Metric, MetricSummary> metrics,
                         List<String> exampleIds) {

    public SliceStats {
        if (value == null || count < 1 || exampleIds == null || exampleIds.size() != count) {
            throw new IllegalArgumentException("a slice needs a value and as many example ids as its count");
        }
        metrics = Collections.unmodifiableMap(metrics.isEmpty() ? new EnumMap<>(Metric.class)
                : new EnumMap<>(metrics));
        exampleIds = List.copyOf(exampleIds);
    }

    /** {@code source kind = ticket}, or {@code all examples}. */
    public String name() {
        return key == null ? "all examples" : key.label() + " = " + value;
    }
}
