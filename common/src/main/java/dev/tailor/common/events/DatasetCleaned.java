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
 * A cleaned, split dataset version is in S3. Topic {@code tailor.dataset.cleaned}, key datasetId.
 *
 * @param version  dataset version (derived from the input and the cleaning configuration)
 * @param train    s3 URI of train.jsonl; {@code validation}, {@code test} likewise
 * @param report   s3 URI of the cleaning report (report.json)
 * @param source   s3 URI of the manifest of the upload this version was cleaned from (its ingest manifest, which
 *                 also holds the upload's training options); absent in events written before it existed
 */
@JsonClassDescription("A cleaned, split dataset version is in S3. Key: datasetId. "
        + TailorEvent.NEW_FIELDS)
public record DatasetCleaned(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String version,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN) String train,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN) String validation,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN) String test,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN) String report,
        @NotNull @Min(0) long trainCount, @NotNull @Min(0) long validationCount, @NotNull @Min(0) long testCount,
        @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the manifest of the upload this version was cleaned from")
        String source,
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal) implements TailorEvent {
    public DatasetCleaned {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.id("datasetId", datasetId);
        Checks.id("version", version);
        Checks.s3Uri("train", train);
        Checks.s3Uri("validation", validation);
        Checks.s3Uri("test", test);
        Checks.s3Uri("report", report);
        Checks.nonNegative("trainCount", trainCount);
        Checks.nonNegative("validationCount", validationCount);
        Checks.nonNegative("testCount", testCount);
        Checks.optionalS3Uri("source", source);
    }

    public static DatasetCleaned create(String tenant, String datasetId, String version, String train,
                                        String validation, String test, String report, long trainCount,
                                        long validationCount, long testCount, String source) {
        return new DatasetCleaned(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, datasetId,
                version, train, validation, test, report, trainCount, validationCount, testCount, source, null);
    }

    /** This event done for {@code principal} (see the field). */
    public DatasetCleaned withPrincipal(String principal) {
        return new DatasetCleaned(eventId, schemaVersion, occurredAt, tenant, datasetId, version, train, validation, test, report, trainCount, validationCount, testCount, source, principal);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
