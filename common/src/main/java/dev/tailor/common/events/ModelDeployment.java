package dev.tailor.common.events;

import java.time.Instant;
import java.util.UUID;

/**
 * What a served model name ({@code alias}) points at. Topic {@code tailor.model.deployments} (compacted), key
 * alias: the latest record per alias is the current deployment.
 *
 * @param adapter s3 URI of the tuned adapter, or null to serve the base model as is
 * @param active  false withdraws the alias
 */
public record ModelDeployment(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                              String alias, String modelId, String baseModel, String adapter, boolean active)
        implements TailorEvent {
    public ModelDeployment {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.notBlank("alias", alias);
        Checks.notBlank("modelId", modelId);
        Checks.notBlank("baseModel", baseModel);
        Checks.optionalS3Uri("adapter", adapter);
    }

    public static ModelDeployment create(String tenant, String alias, String modelId, String baseModel,
                                         String adapter, boolean active) {
        return new ModelDeployment(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, alias,
                modelId, baseModel, adapter, active);
    }

    @Override
    public String key() {
        return alias;
    }
}
