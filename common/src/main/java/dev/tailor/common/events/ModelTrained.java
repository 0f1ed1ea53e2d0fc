package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A tuned model is in S3. Topic {@code tailor.model.trained}, key modelId.
 *
 * @param adapter   s3 URI of {@code models/tuned/{modelId}/} (PEFT layout, or a full checkpoint)
 * @param testSplit s3 URI of the held-out test split eval should use
 * @param parentModel the tuned model this one was trained further from, or null
 * @param sweep       the sweep this model is a candidate of, or null
 * @param evaluation  evaluation settings of the job or upload (eval's settings object), or null for eval's defaults
 */
@JsonClassDescription("A tuned model is in S3. Key: modelId. "
        + TailorEvent.NEW_FIELDS)
public record ModelTrained(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String modelId,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String jobId,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetVersion,
        @NotBlank String baseModel,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of models/tuned/{modelId}/") String adapter,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the held-out test split eval should use") String testSplit,
        @DecimalMin("0") Double trainLoss, @DecimalMin("0") Double validationLoss,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("the tuned model training continued from") String parentModel,
        @JsonPropertyDescription("the sweep this model is a candidate of") Sweep sweep,
        @JsonPropertyDescription("evaluation settings of the job or upload (see the eval service)")
        ObjectNode evaluation,
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal) implements TailorEvent {
    public ModelTrained {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.id("modelId", modelId);
        Checks.id("jobId", jobId);
        Checks.id("datasetId", datasetId);
        Checks.id("datasetVersion", datasetVersion);
        Checks.notBlank("baseModel", baseModel);
        Checks.s3Uri("adapter", adapter);
        Checks.s3Uri("testSplit", testSplit);
        Checks.optionalNonNegative("trainLoss", trainLoss);
        Checks.optionalNonNegative("validationLoss", validationLoss);
        Checks.optionalId("parentModel", parentModel);
    }

    public static ModelTrained create(String tenant, String modelId, String jobId, String datasetId,
                                      String datasetVersion, String baseModel, String adapter, String testSplit,
                                      Double trainLoss, Double validationLoss) {
        return new ModelTrained(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, modelId, jobId,
                datasetId, datasetVersion, baseModel, adapter, testSplit, trainLoss, validationLoss, null, null, null, null);
    }

    /** This event with the job's parent model, sweep and evaluation settings (each may be null). */
    public ModelTrained withJob(String parent, Sweep candidate, ObjectNode evaluationSettings) {
        return new ModelTrained(eventId, schemaVersion, occurredAt, tenant, modelId, jobId, datasetId, datasetVersion,
                baseModel, adapter, testSplit, trainLoss, validationLoss, parent, candidate, evaluationSettings, principal);
    }

    /** This event done for {@code principal} (see the field). */
    public ModelTrained withPrincipal(String principal) {
        return new ModelTrained(eventId, schemaVersion, occurredAt, tenant, modelId, jobId, datasetId, datasetVersion, baseModel, adapter, testSplit, trainLoss, validationLoss, parentModel, sweep, evaluation, principal);
    }

    @Override
    public String key() {
        return modelId;
    }
}
