package dev.tailor.training.service;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.training.domain.Preflight;
import java.time.Instant;

/**
 * State of a training job as the REST API shows it.
 *
 * @param adapter s3 URI of the tuned model, once the job SUCCEEDED
 */
public record JobView(String jobId, String modelId, String state, String datasetId, String datasetVersion,
                      String baseModel, TrainingParams params, int step, int totalSteps, int epoch, Double loss,
                      Double validationLoss, Double learningRate, Double tokensPerSecond, Double etaSeconds,
                      String message, String adapter, Preflight preflight, Instant createdAt, Instant updatedAt) {
}
