package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a served model name ({@code alias}) points at. Topic {@code tailor.model.deployments} (compacted), key
 * {tenant}/{alias}: the latest record per alias of a tenant is the current deployment.
 *
 * @param adapter        s3 URI of the tuned adapter, or null to serve the base model as is
 * @param active         false withdraws the alias
 * @param datasetId      the dataset the served model was trained on, when known
 * @param canary         a second model that answers {@code canaryPercent} % of the alias's requests, or null
 * @param canaryPercent  0 to 100 (0 without canary)
 * @param history        the targets served before this one, most recent first (rollback goes back to the first);
 *                       at most {@link #HISTORY} kept
 * @param gateOverride   set when the served model (or canary) was rejected by the evaluation gate and is served on
 *                       purpose: who asked and the gate's reason
 * @param logCompletions whether completions through this alias are logged ({@code tailor.completions.logged}) for
 *                       feedback
 * @param principal      who made the change (an OIDC subject or apikey:&lt;keyId&gt;), when known
 * @param version        1 for an alias's first deployment, one more than the record it replaces for every change:
 *                       a consumer never applies a record older than the one it serves (a replayed copy), 0 on records
 *                       written before versions existed
 */
@JsonClassDescription("What a served model name (alias) points at; the latest record per alias is the current"
        + " deployment of that tenant. Key: {tenant}/{alias}. "
        + TailorEvent.NEW_FIELDS)
public record ModelDeployment(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotBlank String alias, @NotBlank String modelId, @NotBlank String baseModel,
        @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the tuned adapter; left out: serve the base model") String adapter,
        @NotNull boolean active,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("dataset the served model was trained on, when known") String datasetId,
        @JsonPropertyDescription("a second model answering canaryPercent % of the requests; left out: none")
        DeploymentTarget canary,
        @Min(0) @Max(100) @JsonPropertyDescription("share of requests the canary answers, 0 to 100") int canaryPercent,
        @Size(max = HISTORY) @JsonPropertyDescription("targets served before this one, most recent first (rollback"
                + " goes back to the first)") List<DeploymentTarget> history,
        @JsonPropertyDescription("why a model the evaluation gate rejected is served anyway (who asked, the gate's"
                + " reason); left out: every served model passed the gate") String gateOverride,
        @JsonPropertyDescription("completions through this alias are logged for feedback (opt-in)")
        boolean logCompletions,
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal,
        @Min(0) @JsonPropertyDescription("1 for the alias's first deployment, one more than the record it replaces for"
                + " every change; consumers ignore a record older than the one they serve (a replay). 0: written"
                + " before versions existed") long version) implements TailorEvent {
    /** Previous targets a deployment remembers for rollback. */
    public static final int HISTORY = 10;

    public ModelDeployment {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.notBlank("alias", alias);
        Checks.notBlank("modelId", modelId);
        Checks.notBlank("baseModel", baseModel);
        Checks.optionalS3Uri("adapter", adapter);
        Checks.optionalId("datasetId", datasetId);
        Checks.between("canaryPercent", canaryPercent, 0, 100, "");
        if (canary == null && canaryPercent != 0) {
            throw new IllegalArgumentException("canaryPercent must be 0 without a canary model, got " + canaryPercent);
        }
        history = history == null ? List.of() : List.copyOf(history.subList(0, Math.min(HISTORY, history.size())));
        Checks.optionalNotBlank("gateOverride", gateOverride);
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, got " + version);
        }
    }

    public static ModelDeployment create(String tenant, String alias, String modelId, String baseModel,
                                         String adapter, boolean active) {
        return of(tenant, alias, new DeploymentTarget(modelId, baseModel, adapter, null), null, 0, List.of(), null,
                false, active).withVersion(1);
    }

    /** A new record (fresh id and time) of {@code alias} serving {@code target}. */
    public static ModelDeployment of(String tenant, String alias, DeploymentTarget target, DeploymentTarget canary,
                                     int canaryPercent, List<DeploymentTarget> history, String gateOverride,
                                     boolean logCompletions, boolean active) {
        return new ModelDeployment(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, alias,
                target.modelId(), target.baseModel(), target.adapter(), active, target.datasetId(), canary,
                canaryPercent, history, gateOverride, logCompletions, null, 0);
    }

    /** The main model of the deployment. */
    public DeploymentTarget target() {
        return new DeploymentTarget(modelId, baseModel, adapter, datasetId);
    }

    /** This event done for {@code principal} (see the field). */
    public ModelDeployment withPrincipal(String principal) {
        return new ModelDeployment(eventId, schemaVersion, occurredAt, tenant, alias, modelId, baseModel, adapter, active,
                datasetId, canary, canaryPercent, history, gateOverride, logCompletions, principal, version);
    }

    /** This record as {@code version} of its alias (see the field). */
    public ModelDeployment withVersion(long version) {
        return new ModelDeployment(eventId, schemaVersion, occurredAt, tenant, alias, modelId, baseModel, adapter, active,
                datasetId, canary, canaryPercent, history, gateOverride, logCompletions, principal, version);
    }

    /** The version a change of {@code current} (null: none yet) gets. */
    public static long next(ModelDeployment current) {
        return current == null ? 1 : current.version() + 1;
    }

    /**
     * Whether this record is older than {@code current} (what a consumer serves): a replayed copy, which must not move
     * the alias back. Records of equal version from two writers are both applied in topic order (the last wins, as
     * compaction keeps it); a copy of the very record served changes nothing either.
     */
    public boolean olderThan(ModelDeployment current) {
        return current != null && (version < current.version()
                || version == current.version() && eventId.equals(current.eventId()));
    }

    /**
     * {@code {tenant}/{alias}}: the topic is compacted by key, and every tenant has its own aliases (two tenants'
     * {@code tailor-latest} are two deployments).
     */
    @Override
    public String key() {
        return tenant + "/" + alias;
    }
}
