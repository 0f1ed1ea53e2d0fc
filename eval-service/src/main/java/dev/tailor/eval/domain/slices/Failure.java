package dev.tailor.eval.domain.slices;

/**
 * An example where the tuned model did poorly on a metric, to show next to a weak slice.
 *
 * @param id              the example's id
 * @param reference       the reference answer
 * @param tunedPrediction the tuned model's answer
 * @param basePrediction  the base model's answer
 * @param tunedScore      the tuned model's value of the metric
 * @param baseScore       the base model's value of the metric
 */
public record Failure(String id, String reference, String tunedPrediction, String basePrediction, double tunedScore,
                      double baseScore) {
}
