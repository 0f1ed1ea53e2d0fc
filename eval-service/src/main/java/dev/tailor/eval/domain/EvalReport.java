package dev.tailor.eval.domain;

import java.time.Instant;
import java.util.List;

/**
 * {@code evals/{modelId}/report.json}: base vs tuned on the test split, and the verdict.
 *
 * @param examples number of test examples scored
 * @param samples  greedy answers of both models to the first test prompts
 */
public record EvalReport(String modelId, String jobId, String datasetId, String datasetVersion, String baseModel,
                         String adapter, String testSplit, int examples, double baseLoss, double tunedLoss,
                         double basePerplexity, double tunedPerplexity, double relativeImprovement,
                         double minImprovement, String verdict, String reason, List<Sample> samples,
                         Instant evaluatedAt, double seconds) {

    public EvalReport {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** One test prompt with the reference answer and both models' greedy answers. */
    public record Sample(String prompt, String reference, String base, String tuned) {
    }
}
