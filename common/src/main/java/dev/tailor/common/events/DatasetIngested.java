package dev.tailor.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * Raw records of a dataset are in S3. Topic {@code tailor.dataset.ingested}, key datasetId.
 *
 * @param rawPrefix     s3 URI of the {@code raw/{datasetId}/} prefix holding the raw records
 * @param manifest      s3 URI of the manifest (lineage) next to them
 * @param format        the detected or requested source format
 * @param records       number of raw records written
 * @param contentSha256 SHA-256 (lowercase hex) of the raw content, for idempotency
 */
public record DatasetIngested(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                              String datasetId, String name, String rawPrefix, String manifest, String format,
                              long records, String contentSha256, boolean autoTrain, String baseModel)
        implements TailorEvent {
    public DatasetIngested {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("datasetId", datasetId);
        Checks.notBlank("name", name);
        Checks.s3Uri("rawPrefix", rawPrefix);
        Checks.s3Uri("manifest", manifest);
        Checks.notBlank("format", format);
        Checks.nonNegative("records", records);
        Checks.sha256("contentSha256", contentSha256);
        Checks.optionalNotBlank("baseModel", baseModel);
    }

    public static DatasetIngested create(String tenant, String datasetId, String name, String rawPrefix,
                                         String manifest, String format, long records, String contentSha256,
                                         boolean autoTrain, String baseModel) {
        return new DatasetIngested(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant,
                datasetId, name, rawPrefix, manifest, format, records, contentSha256, autoTrain, baseModel);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
