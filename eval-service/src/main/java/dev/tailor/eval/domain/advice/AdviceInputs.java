package dev.tailor.eval.domain.advice;

import dev.tailor.eval.domain.format.FormatSummary;
import dev.tailor.eval.domain.gate.BaseTuned;
import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.slices.SliceStats;
import dev.tailor.eval.domain.stats.PairedComparison;
import java.util.List;

/**
 * The numbers recommendations are derived from; any of them may be null (or empty) when not measured, and the
 * rules that need it are skipped.
 *
 * @param curve       the training run's loss curve, in step order
 * @param testLoss    mean answer-token loss on the test split, base and tuned (nats)
 * @param metric      the gate's generation metric
 * @param comparison  the paired comparison of that metric
 * @param baseFormat  format checks of the base model's answers
 * @param tunedFormat format checks of the tuned model's answers
 * @param maxTokens   the generation's max-token limit
 * @param overall     all test examples as one slice
 * @param slices      the slices of the test examples (any keys)
 * @param leakage     test examples near-duplicating training examples
 */
public record AdviceInputs(List<LossPoint> curve, BaseTuned testLoss, Metric metric, PairedComparison comparison,
                           FormatSummary baseFormat, FormatSummary tunedFormat, Integer maxTokens,
                           SliceStats overall, List<SliceStats> slices, Leakage leakage) {

    public AdviceInputs {
        curve = curve == null ? List.of() : List.copyOf(curve);
        slices = slices == null ? List.of() : List.copyOf(slices);
    }
}
