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
 * @param cleaningConfig s3 URI of the complete cleaning settings to clean with (a re-clean), replacing the service's
 *     and the upload's own; null for an upload (the upload's {@code cleaning.json} over the service's settings)
 * @param recleanOf the cleaned version this is a re-clean of (its splits carry over, and the new version's
 *     {@code diff.json} compares with it); null for an upload
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
                + " requested or caused it; left out by producers that do not know it") String principal,
        @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("a re-clean: s3 URI of the complete cleaning settings to clean the raw objects with"
                + " (replacing the service's and the upload's own); absent for an upload") String cleaningConfig,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("a re-clean: the cleaned version of the dataset it re-cleans (splits carry over from it,"
                + " and the new version's diff.json compares with it); absent for an upload") String recleanOf)
        implements TailorEvent {
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
        if (cleaningConfig != null) {
            Checks.s3Uri("cleaningConfig", cleaningConfig);
        }
        if (recleanOf != null) {
            Checks.id("recleanOf", recleanOf);
        }
    }

    public static DatasetIngested create(String tenant, String datasetId, String name, String rawPrefix,
                                         String manifest, String format, long records, String contentSha256) {
        return new DatasetIngested(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant,
                datasetId, name, rawPrefix, manifest, format, records, contentSha256, null, null, null);
    }

    /** This event done for {@code principal} (see the field). */
    public DatasetIngested withPrincipal(String principal) {
        return new DatasetIngested(eventId, schemaVersion, occurredAt, tenant, datasetId, name, rawPrefix, manifest,
                format, records, contentSha256, principal, cleaningConfig, recleanOf);
    }

    /** This event as a re-clean of version {@code of} with the complete settings at {@code settingsUri}. */
    public DatasetIngested asReclean(String settingsUri, String of) {
        return new DatasetIngested(eventId, schemaVersion, occurredAt, tenant, datasetId, name, rawPrefix, manifest,
                format, records, contentSha256, principal, settingsUri, of);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
