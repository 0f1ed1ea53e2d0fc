package dev.tailor.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Asks training to fine-tune {@code baseModel} on a cleaned dataset. Topic {@code tailor.training.requested},
 * key jobId.
 *
 * @param datasetVersion the cleaned version to train on, or null for the latest
 * @param params         hyper-parameters; null (left out in JSON) means {@link TrainingParams#defaults()}
 */
public record TrainingRequested(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                                String jobId, String datasetId, String datasetVersion, String baseModel,
                                TrainingParams params) implements TailorEvent {
    public TrainingRequested {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("jobId", jobId);
        Checks.id("datasetId", datasetId);
        Checks.optionalId("datasetVersion", datasetVersion);
        Checks.notBlank("baseModel", baseModel);
        params = params == null ? TrainingParams.defaults() : params;
    }

    public static TrainingRequested create(String tenant, String jobId, String datasetId, String datasetVersion,
                                           String baseModel, TrainingParams params) {
        return new TrainingRequested(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, jobId,
                datasetId, datasetVersion, baseModel, params);
    }

    @Override
    public String key() {
        return jobId;
    }
}
