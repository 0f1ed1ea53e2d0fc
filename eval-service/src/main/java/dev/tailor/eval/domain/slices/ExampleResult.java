package dev.tailor.eval.domain.slices;

import dev.tailor.eval.domain.metrics.MetricValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One test example with both models' answers and metric values, and what slices it belongs to.
 *
 * @param id              the example's id in the test split
 * @param sourceKind      the kind of source it came from
 * @param sourceFile      the source file it came from, or null when unknown
 * @param turns           user turns in the conversation up to the scored answer (≥ 1)
 * @param reference       the reference answer (the last assistant turn)
 * @param basePrediction  the base model's answer
 * @param tunedPrediction the tuned model's answer
 * @param base            the base model's metric values on this example
 * @param tuned           the tuned model's metric values on this example
 * @param metadata        the example's metadata fields (product, category, …), empty when none
 */
public record ExampleResult(String id, SourceKind sourceKind, String sourceFile, int turns, String reference,
                            String basePrediction, String tunedPrediction, MetricValues base, MetricValues tuned,
                            Map<String, String> metadata) {

    public ExampleResult {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an example result needs the example's id");
        }
        if (turns < 1) {
            throw new IllegalArgumentException("example " + id + " must have at least one user turn, got " + turns);
        }
        if (reference == null || basePrediction == null || tunedPrediction == null) {
            throw new IllegalArgumentException("example " + id + " needs its reference and both answers (\"\" for an "
                    + "empty answer)");
        }
        sourceKind = sourceKind == null ? SourceKind.OTHER : sourceKind;
        base = base == null ? MetricValues.NONE : base;
        tuned = tuned == null ? MetricValues.NONE : tuned;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Words in the reference answer (whitespace-separated). */
    public int referenceWords() {
        String s = reference.strip();
        return s.isEmpty() ? 0 : s.split("\\s+").length;
    }
}
