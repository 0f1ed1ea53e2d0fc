package dev.tailor.common.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Asks ingest to read {@code sources} (objects already in a bucket, as {@code s3://bucket/key} URIs or prefixes
 * ending in '/') into dataset {@code datasetId}. Topic {@code tailor.ingest.requested}, key datasetId.
 *
 * @param format     source format, or null to detect it from the file names and contents
 * @param autoTrain  whether the cleaned dataset should start a training job on its own
 * @param baseModel  base model for auto-training, or null for the service default
 */
public record IngestRequested(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                              String datasetId, String name, List<String> sources, String format,
                              boolean autoTrain, String baseModel) implements TailorEvent {
    public IngestRequested {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("datasetId", datasetId);
        Checks.notBlank("name", name);
        sources = Checks.nonEmpty("sources", sources);
        Checks.optionalNotBlank("format", format);
        Checks.optionalNotBlank("baseModel", baseModel);
    }

    public static IngestRequested create(String tenant, String datasetId, String name, List<String> sources,
                                         String format, boolean autoTrain, String baseModel) {
        return new IngestRequested(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant,
                datasetId, name, sources, format, autoTrain, baseModel);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
