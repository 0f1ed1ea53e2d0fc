package dev.tailor.inference.service;

import dev.tailor.common.events.ModelDeployment;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.storage.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@code DELETE /v1/models/{id}}: a tuned model is undeployed first (every alias that serves it, as model or canary,
 * stops answering), then forgotten by this replica and deleted from S3. Base models are shared by every tuned model
 * on them and are not deleted here.
 */
@ApplicationScoped
public class ModelRemoval {
    /** The error code of a model that cannot be deleted (a base model); answered 409. */
    public static final String NOT_DELETABLE = "model_not_deletable";
    private static final Logger LOG = Logger.getLogger(ModelRemoval.class);

    private final Deployments deployments;
    private final ModelHost host;
    private final ModelCatalog catalog;

    public ModelRemoval(Deployments deployments, ModelHost host, ModelCatalog catalog) {
        this.deployments = deployments;
        this.host = host;
        this.catalog = catalog;
    }

    /** What was done: the aliases undeployed and the objects deleted. */
    public record Removed(String modelId, List<String> undeployed, int objectsDeleted) {
    }

    public Removed remove(String tenant, String modelId, String principal) {
        if (!catalog.isTuned(tenant, modelId)) {
            if (catalog.find(tenant, modelId).isPresent()) {
                throw new OpenAiException("'" + modelId + "' is a base model: tuned models are trained on it, so it is"
                        + " not deleted over the API; delete a tuned model by its id (GET /v1/models lists them)",
                        OpenAiException.INVALID_REQUEST, "model", NOT_DELETABLE);
            }
            throw OpenAiException.unknownModel(modelId);
        }
        List<String> aliases = deployments.list(tenant).stream().filter(d -> serves(d, modelId))
                .map(ModelDeployment::alias).toList();
        for (String alias : aliases) {
            deployments.undeploy(tenant, alias, principal);
        }
        host.registry(tenant).remove(modelId);
        int deleted = catalog.delete(tenant, modelId);
        LOG.infof("model %s of %s deleted by %s: undeployed %s, %d objects", modelId, tenant, principal, aliases,
                deleted);
        return new Removed(modelId, aliases, deleted);
    }

    private static boolean serves(ModelDeployment d, String modelId) {
        return modelId.equals(d.modelId()) || d.canary() != null && modelId.equals(d.canary().modelId());
    }
}
