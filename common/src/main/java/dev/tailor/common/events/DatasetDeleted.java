package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;

/**
 * A dataset was erased: its raw and cleaned objects are gone from S3, and every service that keeps local copies of
 * its data (training's job folders with downloaded splits) deletes them on this event. Topic
 * {@code tailor.dataset.deleted}, key datasetId.
 */
@JsonClassDescription("A dataset was erased from S3; services delete their local copies of its data. Key: datasetId. "
        + TailorEvent.NEW_FIELDS)
public record DatasetDeleted(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId,
        @JsonPropertyDescription("who deleted it") String principal) implements TailorEvent {
    public DatasetDeleted {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("datasetId", datasetId);
        Checks.optionalPrincipal(principal);
    }

    public static DatasetDeleted create(String tenant, String datasetId, String principal) {
        return new DatasetDeleted(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, datasetId,
                principal);
    }

    @Override
    public String key() {
        return datasetId;
    }
}
