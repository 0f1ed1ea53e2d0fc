package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who did what to which resource of a tenant, when. Topic {@code tailor.audit}, key {@code {tenant}/{resourceId}}.
 * Written by the service that did it, after the fact; never carries secrets or data (names, ids, counts only).
 *
 * @param actor      who asked for it: an OIDC subject, {@code apikey:<keyId>}, or {@code service:<name>} for work a
 *                   service does on its own (cleaning an upload, evaluating a trained model)
 * @param onBehalfOf for work a service does on its own: the principal of the request that caused it, when known
 * @param action     one of {@link #ACTIONS}
 * @param resource   the resource type: dataset, training-job, model, evaluation, deployment, api-key
 * @param resourceId the dataset id, job id, model id, alias or key id
 * @param details    names, ids and counts that say more (never a secret)
 */
@JsonClassDescription("Who did what to which resource of a tenant, when (the audit trail). Key: {tenant}/{resourceId}. "
        + TailorEvent.NEW_FIELDS)
public record AuditEvent(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the resource") String tenant,
        @NotBlank @JsonPropertyDescription("who asked: an OIDC subject, apikey:<keyId> or service:<name>") String actor,
        @JsonPropertyDescription("for work a service did on its own: the principal that caused it") String onBehalfOf,
        @NotBlank @JsonPropertyDescription("what was done, e.g. dataset.uploaded, model.deployed") String action,
        @NotBlank @JsonPropertyDescription("dataset, training-job, model, evaluation, deployment or api-key")
        String resource,
        @NotBlank String resourceId,
        @JsonPropertyDescription("names, ids and counts that say more (never a secret)") Map<String, Object> details)
        implements TailorEvent {
    public static final String DATASET_UPLOADED = "dataset.uploaded";
    public static final String DATASET_CLEANED = "dataset.cleaned";
    /** A cleaned version was asked to be cleaned again with other settings (a new version). */
    public static final String DATASET_RECLEANED = "dataset.recleaned";
    public static final String DATASET_DELETED = "dataset.deleted";
    /** A source that stays in sync (IMAP, JDBC, S3 prefix, Kafka topic) was registered or removed. */
    public static final String SOURCE_ADDED = "source.added";
    public static final String SOURCE_REMOVED = "source.removed";
    public static final String TRAINING_REQUESTED = "training.requested";
    public static final String TRAINING_CANCELLED = "training.cancelled";
    public static final String MODEL_TRAINED = "model.trained";
    public static final String MODEL_EVALUATED = "model.evaluated";
    public static final String MODEL_DEPLOYED = "model.deployed";
    public static final String API_KEY_CREATED = "api-key.created";
    public static final String API_KEY_REVOKED = "api-key.revoked";
    /** Every action an audit event may name. */
    public static final List<String> ACTIONS = List.of(DATASET_UPLOADED, DATASET_CLEANED, DATASET_DELETED,
            TRAINING_REQUESTED, TRAINING_CANCELLED, MODEL_TRAINED, MODEL_EVALUATED, MODEL_DEPLOYED, API_KEY_CREATED,
            API_KEY_REVOKED, DATASET_RECLEANED, SOURCE_ADDED, SOURCE_REMOVED);

    public AuditEvent {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.notBlank("actor", actor);
        Checks.optionalPrincipal(actor);
        Checks.optionalPrincipal(onBehalfOf);
        Checks.oneOf("action", action, ACTIONS);
        Checks.notBlank("resource", resource);
        Checks.notBlank("resourceId", resourceId);
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** An audit event of now. */
    public static AuditEvent of(String tenant, String actor, String onBehalfOf, String action, String resource,
                                String resourceId, Map<String, Object> details) {
        return new AuditEvent(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, actor, onBehalfOf,
                action, resource, resourceId, details);
    }

    /** {@code service:<name>}: the actor of work a service does on its own. */
    public static String service(String name) {
        return "service:" + Checks.notBlank("name", name);
    }

    @Override
    public String key() {
        return tenant + "/" + resourceId;
    }
}
