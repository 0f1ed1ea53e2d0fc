package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

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
 *     <p>What the upload asked of training is in the manifest ({@link TrainingOptions}), not here: cleaning, which
 *     consumes this event, has no use for it.
 */
@JsonClassDescription("Raw records of a dataset are in S3. Key: datasetId. "
        + TailorEvent.NEW_FIELDS)
public record DatasetIngested(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId, @NotBlank String name,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the upload's raw prefix") String rawPrefix,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the upload's manifest (lineage, training options)") String manifest,
        @NotBlank String format, @NotNull @Min(0) long records,
        @NotNull @Pattern(regexp = Checks.SHA256_PATTERN) String contentSha256,
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal) implements TailorEvent {
    public DatasetIngested {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.id("datasetId", datasetId);
        Checks.notBlank("name", name);
        Checks.s3Uri("rawPrefix", rawPrefix);
        Checks.s3Uri("manifest", manifest);
        Checks.notBlank("format", format);
        Checks.nonNegative("records", records);
        Checks.sha256("contentSha256", contentSha256);
    }

    public static DatasetIngested create(String tenant, String datasetId, String name, String rawPrefix,
                                         String manifest, String format, long records, String contentSha256) {
        return new DatasetIngested(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant,
                datasetId, name, rawPrefix, manifest, format, records, contentSha256, null);
    }

    /** This event done for {@code principal} (see the field). */
    public DatasetIngested withPrincipal(String principal) {
        return new DatasetIngested(eventId, schemaVersion, occurredAt, tenant, datasetId, name, rawPrefix, manifest, format, records, contentSha256, principal);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
