package dev.tailor.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A tuned model is in S3. Topic {@code tailor.model.trained}, key modelId.
 *
 * @param adapter   s3 URI of {@code models/tuned/{modelId}/} (PEFT layout, or a full checkpoint)
 * @param testSplit s3 URI of the held-out test split eval should use
 */
public record ModelTrained(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                           String modelId, String jobId, String datasetId, String datasetVersion, String baseModel,
                           String adapter, String testSplit, Double trainLoss, Double validationLoss)
        implements TailorEvent {
    public ModelTrained {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("modelId", modelId);
        Checks.id("jobId", jobId);
        Checks.id("datasetId", datasetId);
        Checks.id("datasetVersion", datasetVersion);
        Checks.notBlank("baseModel", baseModel);
        Checks.s3Uri("adapter", adapter);
        Checks.s3Uri("testSplit", testSplit);
        Checks.optionalNonNegative("trainLoss", trainLoss);
        Checks.optionalNonNegative("validationLoss", validationLoss);
    }

    public static ModelTrained create(String tenant, String modelId, String jobId, String datasetId,
                                      String datasetVersion, String baseModel, String adapter, String testSplit,
                                      Double trainLoss, Double validationLoss) {
        return new ModelTrained(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, modelId, jobId,
                datasetId, datasetVersion, baseModel, adapter, testSplit, trainLoss, validationLoss);
    }

    @Override
    public String key() {
        return modelId;
    }
}
