package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

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
@JsonClassDescription("Asks ingest to read objects already in a bucket into a dataset. Key: datasetId. "
        + TailorEvent.NEW_FIELDS)
public record IngestRequested(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId, @NotBlank String name,
        @NotNull @Size(min = 1) @JsonPropertyDescription("s3://bucket/key URIs of objects, or prefixes ending in '/'")
        List<@NotBlank String> sources,
        @JsonPropertyDescription("source format; left out: detected from names and contents") String format,
        boolean autoTrain, @JsonPropertyDescription("base model for auto-training; left out: the service default")
        String baseModel) implements TailorEvent {
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
