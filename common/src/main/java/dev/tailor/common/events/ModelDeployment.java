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
 * What a served model name ({@code alias}) points at. Topic {@code tailor.model.deployments} (compacted), key
 * {tenant}/{alias}: the latest record per alias of a tenant is the current deployment.
 *
 * @param adapter s3 URI of the tuned adapter, or null to serve the base model as is
 * @param active  false withdraws the alias
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
        @JsonPropertyDescription("the identity this work is done for (an OIDC subject or apikey:<keyId>): who uploaded,"
                + " requested or caused it; left out by producers that do not know it") String principal) implements TailorEvent {
    public ModelDeployment {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.optionalPrincipal(principal);
        Checks.notBlank("alias", alias);
        Checks.notBlank("modelId", modelId);
        Checks.notBlank("baseModel", baseModel);
        Checks.optionalS3Uri("adapter", adapter);
    }

    public static ModelDeployment create(String tenant, String alias, String modelId, String baseModel,
                                         String adapter, boolean active) {
        return new ModelDeployment(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, alias,
                modelId, baseModel, adapter, active, null);
    }

    /** This event done for {@code principal} (see the field). */
    public ModelDeployment withPrincipal(String principal) {
        return new ModelDeployment(eventId, schemaVersion, occurredAt, tenant, alias, modelId, baseModel, adapter, active, principal);
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
