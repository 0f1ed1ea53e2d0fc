package dev.tailor.eval.domain.slices;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.List;
import java.util.Locale;

/**
 * A slice where the tuned model does worse on {@code metric} than over all examples.
 *
 * @param slice       the slice with all its metrics
 * @param metric      the metric it is weak on (the gate's)
 * @param tunedMean   the tuned model's mean on the slice
 * @param overallMean the tuned model's mean over all examples
 * @param failures    its worst examples for the tuned model, worst first
 */
public record WeakSlice(SliceStats slice, Metric metric, double tunedMean, double overallMean,
                        List<Failure> failures) {

    public WeakSlice {
        failures = List.copyOf(failures);
    }

    /** E.g. {@code source kind = ticket: ROUGE-L 0.210 vs 0.440 over all examples (6 examples)}. */
    public String summary() {
        return String.format(Locale.ROOT, "%s: %s %.3f vs %.3f over all examples (%d examples)", slice.name(),
                metric.label(), tunedMean, overallMean, slice.count());
    }
}
