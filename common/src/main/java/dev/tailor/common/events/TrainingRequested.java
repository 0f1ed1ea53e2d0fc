package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * Asks training to fine-tune {@code baseModel} on a cleaned dataset. Topic {@code tailor.training.requested},
 * key jobId.
 *
 * @param datasetVersion the cleaned version to train on, or null for the latest
 * @param params         hyper-parameters; null (left out in JSON) means {@link TrainingParams#defaults()}
 * @param train          s3 URI of the version's train split, when the requester knows it (auto-training takes it
 *                       from {@code dataset.cleaned}); {@code validation} and {@code test} likewise. Without them
 *                       training finds the splits of {@code datasetVersion} in the object layout.
 * @param parentModel    a tuned model to continue from (its adapter is the starting point), or null
 * @param sweep          the sweep this job is a candidate of, or null
 * @param evaluation     evaluation settings for the tuned model (eval's settings object), or null
 */
@JsonClassDescription("Asks training to fine-tune a base model on a cleaned dataset. Key: jobId. "
        + TailorEvent.NEW_FIELDS)
public record TrainingRequested(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String jobId,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String datasetId,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("the cleaned version; left out: the latest") String datasetVersion,
        @NotBlank String baseModel,
        @JsonPropertyDescription("fine-tuning hyper-parameters; every field may be left out and then takes its default")
        TrainingParams params,
        @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the version's train split, when known") String train,
        @Pattern(regexp = Checks.S3_URI_PATTERN) String validation,
        @Pattern(regexp = Checks.S3_URI_PATTERN) String test,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("a tuned model to continue from") String parentModel,
        @JsonPropertyDescription("the sweep this job is a candidate of") Sweep sweep,
        @JsonPropertyDescription("evaluation settings for the tuned model (see the eval service)")
        ObjectNode evaluation,
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal) implements TailorEvent {
    public TrainingRequested {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.id("jobId", jobId);
        Checks.id("datasetId", datasetId);
        Checks.optionalId("datasetVersion", datasetVersion);
        Checks.notBlank("baseModel", baseModel);
        params = params == null ? TrainingParams.defaults() : params;
        Checks.optionalS3Uri("train", train);
        Checks.optionalS3Uri("validation", validation);
        Checks.optionalS3Uri("test", test);
        Checks.optionalId("parentModel", parentModel);
        if (train != null && datasetVersion == null) {
            throw new IllegalArgumentException("datasetVersion is required when the split URIs are given");
        }
    }

    public static TrainingRequested create(String tenant, String jobId, String datasetId, String datasetVersion,
                                           String baseModel, TrainingParams params) {
        return create(tenant, jobId, datasetId, datasetVersion, baseModel, params, null, null, null);
    }

    /** A request that names the version's split URIs (auto-training, from {@code dataset.cleaned}). */
    public static TrainingRequested create(String tenant, String jobId, String datasetId, String datasetVersion,
                                           String baseModel, TrainingParams params, String train, String validation,
                                           String test) {
        return new TrainingRequested(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, jobId,
                datasetId, datasetVersion, baseModel, params, train, validation, test, null, null, null, null);
    }

    /** This request with a parent model, a sweep and evaluation settings (each may be null). */
    public TrainingRequested withJob(String parent, Sweep candidate, ObjectNode evaluationSettings) {
        return new TrainingRequested(eventId, schemaVersion, occurredAt, tenant, jobId, datasetId, datasetVersion,
                baseModel, params, train, validation, test, parent, candidate, evaluationSettings, principal);
    }

    /** This event done for {@code principal} (see the field). */
    public TrainingRequested withPrincipal(String principal) {
        return new TrainingRequested(eventId, schemaVersion, occurredAt, tenant, jobId, datasetId, datasetVersion, baseModel, params, train, validation, test, parentModel, sweep, evaluation, principal);
    }

    @Override
    public String key() {
        return jobId;
    }
}
