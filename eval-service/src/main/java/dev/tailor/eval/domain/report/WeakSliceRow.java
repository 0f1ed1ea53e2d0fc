package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.slices.Failure;
import java.util.List;

/**
 * A slice where the tuned model does worse than over all examples, with its worst examples.
 *
 * @param slice       e.g. {@code source kind = ticket}
 * @param metric      the metric (the gate's)
 * @param tunedMean   tuned mean on the slice
 * @param overallMean tuned mean over all examples
 * @param count       examples in the slice
 * @param summary     the sentence for people
 * @param failures    the slice's worst examples
 */
public record WeakSliceRow(String slice, String metric, double tunedMean, double overallMean, int count,
                           String summary, List<Failure> failures) {
    public WeakSliceRow {
        failures = List.copyOf(failures);
    }
}
