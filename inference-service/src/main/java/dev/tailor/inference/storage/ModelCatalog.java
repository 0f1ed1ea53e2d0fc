package dev.tailor.inference.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.values.Checks;
import dev.tailor.inference.domain.ModelRegistry.ModelInfo;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What the bucket says about a model: whether a name is a base model or a tuned one, what a tuned model was trained
 * from (its manifest: base model, dataset, version) and what the evaluation gate said of it (its eval report).
 */
@ApplicationScoped
public class ModelCatalog {
    private final ObjectStore store;

    public ModelCatalog(ObjectStore store) {
        this.store = store;
    }

    /** The deployable model named {@code id} in {@code tenant}: a tuned model, else a base model; empty if neither. */
    public Optional<DeploymentTarget> find(String tenant, String id) {
        ObjectLayout layout = new ObjectLayout(tenant);
        if (id == null || !id.matches(Checks.ID_PATTERN)) {
            return Optional.empty();
        }
        String tuned = layout.tunedModel(id);
        if (store.exists(ObjectLayout.manifest(tuned)) || store.exists(tuned + "adapter_config.json")) {
            ModelInfo info = info(tenant, id, null);
            return Optional.of(new DeploymentTarget(id, info.baseModel(), store.uri(tuned), info.datasetId()));
        }
        if (store.exists(ObjectLayout.modelConfig(layout.baseModel(id)))) {
            return Optional.of(new DeploymentTarget(id, id, null, null));
        }
        return Optional.empty();
    }

    /**
     * Lineage and verdict of tuned model {@code modelId} (what is missing stays null).
     *
     * @param baseModel the base model's name when the caller knows it (else read from the manifest)
     */
    public ModelInfo info(String tenant, String modelId, String baseModel) {
        ObjectLayout layout = new ObjectLayout(tenant);
        String prefix = layout.tunedModel(modelId);
        String base = baseModel;
        String datasetId = null;
        String version = null;
        if (store.exists(ObjectLayout.manifest(prefix))) {
            // read loosely: lineage is shown when the manifest has it, and its absence never blocks serving
            JsonNode manifest = store.getJson(ObjectLayout.manifest(prefix), JsonNode.class);
            datasetId = manifest.path("datasetId").asText(null);
            version = manifest.path("version").asText(null);
            String baseUri = manifest.path("inputs").path("baseModel").asText(null);
            if (base == null && baseUri != null && baseUri.startsWith("s3://" + store.bucket() + "/")) {
                base = baseName(layout, store.keyOf(baseUri));
            }
        }
        String verdict = null;
        String reason = null;
        String report = layout.evalReport(modelId, "json");
        if (store.exists(report)) {
            JsonNode r = store.getJson(report, JsonNode.class);
            verdict = r.path("verdict").asText(null);
            reason = r.path("reason").asText(null);
            datasetId = datasetId != null ? datasetId : r.path("datasetId").asText(null);
            version = version != null ? version : r.path("datasetVersion").asText(null);
            base = base != null ? base : r.path("baseModel").asText(null);
        }
        return new ModelInfo(base == null ? "unknown" : base, store.uri(prefix), datasetId, version, verdict, reason);
    }

    /** The tuned models of {@code tenant} in S3 (folders with a manifest), by id. */
    public java.util.List<String> tunedModels(String tenant) {
        String root = new ObjectLayout(tenant).tunedModelsRoot();
        java.util.TreeSet<String> ids = new java.util.TreeSet<>();
        for (dev.tailor.common.storage.ObjectInfo o : store.list(root)) {
            String rest = o.key().substring(root.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.substring(slash + 1).equals("manifest.json")) {
                ids.add(rest.substring(0, slash));
            }
        }
        return java.util.List.copyOf(ids);
    }

    /** Whether {@code modelId} is a tuned model of the tenant (its folder has a manifest or an adapter). */
    public boolean isTuned(String tenant, String modelId) {
        if (modelId == null || !modelId.matches(Checks.ID_PATTERN)) {
            return false;
        }
        String tuned = new ObjectLayout(tenant).tunedModel(modelId);
        return store.exists(ObjectLayout.manifest(tuned)) || store.exists(tuned + "adapter_config.json");
    }

    /** The training parameters of a tuned model (its manifest's details), or null. */
    public JsonNode params(String tenant, String modelId) {
        String key = ObjectLayout.manifest(new ObjectLayout(tenant).tunedModel(modelId));
        if (!store.exists(key)) {
            return null;
        }
        JsonNode p = store.getJson(key, JsonNode.class).path("details").path("params");
        return p.isMissingNode() || p.isNull() ? null : p;
    }

    /** Whether the dataset the tuned model was trained on was erased (ingest marks the model). */
    public boolean datasetErased(String tenant, String modelId) {
        return store.exists(ObjectLayout.datasetErased(new ObjectLayout(tenant).tunedModel(modelId)));
    }

    /** Deletes the tuned model's folder (adapter, checkpoints, metrics, manifest); the number of objects deleted. */
    public int delete(String tenant, String modelId) {
        return store.deletePrefix(new ObjectLayout(tenant).tunedModel(modelId));
    }

    /** {@code {tenant}/models/base/{name}/} → name (null for another key). */
    static String baseName(ObjectLayout layout, String key) {
        String sample = layout.baseModel("x");
        String root = sample.substring(0, sample.length() - 2);
        if (!key.startsWith(root) || key.length() <= root.length()) {
            return null;
        }
        String name = key.substring(root.length());
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
