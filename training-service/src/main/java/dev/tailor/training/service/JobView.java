package dev.tailor.training.service;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.training.domain.Placement;
import dev.tailor.training.domain.Preflight;
import java.time.Instant;

/**
 * State of a training job as the REST API shows it.
 *
 * @param adapter   s3 URI of the tuned model, once the job SUCCEEDED
 * @param placement   backend, device, precision and GPUs the job runs on, and why
 * @param attempt     which worker runs the job: 1, or more after workers died and were replaced (local backend)
 * @param lastFailure why the last worker died, or null
 */
public record JobView(String jobId, String modelId, String state, String datasetId, String datasetVersion,
                      String baseModel, TrainingParams params, int step, int totalSteps, int epoch, Double loss,
                      Double validationLoss, Double learningRate, Double tokensPerSecond, Double etaSeconds,
                      String message, String adapter, Preflight preflight, Placement placement,
                      Instant createdAt, Instant updatedAt, int attempt, String lastFailure) {
}
