package dev.tailor.eval.domain.gate;

import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.stats.PairedComparison;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an evaluation measured, as the gate reads it. Anything not measured is null (or absent from
 * {@code comparisons}); a condition that needs it then fails and says so.
 *
 * @param testLoss          mean answer-token loss on the test split (nats), base and tuned
 * @param comparisons       paired comparison per generation metric, at the policy's confidence
 * @param judge             the judge's preferences for the tuned answer (1 tuned better, ½ tie, 0 base better,
 *                          averaged over both orders) compared with ½ (see
 *                          {@link dev.tailor.eval.domain.stats.PairedStatistics#winRate}); null when no judge ran
 * @param generalPerplexity perplexity on held-out general text, base and tuned
 */
public record GateInputs(BaseTuned testLoss, Map<Metric, PairedComparison> comparisons, PairedComparison judge,
                         BaseTuned generalPerplexity) {

    public GateInputs {
        EnumMap<Metric, PairedComparison> m = new EnumMap<>(Metric.class);
        if (comparisons != null) {
            comparisons.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("comparisons must not hold null metrics or results");
                }
                m.put(k, v);
            });
        }
        comparisons = Collections.unmodifiableMap(m);
    }
}
