package dev.tailor.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.json.Json;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.storage.StatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code DELETE /v1/datasets/{id}}: erases a dataset. Its raw uploads, cleaned versions, status entries and content
 * index entries are deleted from S3, and so are the completions that inference logged for models trained on it (they
 * quote what users asked those models) and the examples feedback gave it; then {@code tailor.dataset.deleted} tells the
 * services that keep local copies
 * of its data (training's job folders hold downloaded splits) to delete them. Cleaning keeps none (its work folder
 * is deleted after each run), eval and inference keep models, not data. Models trained on the dataset are not
 * deleted — they may carry its personal data, so they are listed for the operator to retire, with their
 * evaluation reports (which quote test examples), and marked ({@code dataset-erased.json} in their folder, shown by
 * inference's model list).
 */
@ApplicationScoped
public class Erasure {
    private static final Logger LOG = Logger.getLogger(Erasure.class);

    private final ObjectStore store;
    private final StatusStore statuses;
    private final EventSink events;
    private final Audit audit;

    public Erasure(ObjectStore store, StatusStore statuses, EventSink events, Audit audit) {
        this.store = store;
        this.statuses = statuses;
        this.events = events;
        this.audit = audit;
    }

    /** What was erased, and the models trained on the dataset. */
    public record Erased(String datasetId, long objectsDeleted, List<Map<String, String>> modelsToRetire) {
    }

    public Erased erase(String tenant, String datasetId, String principal) {
        ObjectLayout layout = new ObjectLayout(tenant);
        if (!statuses.exists(tenant, datasetId) && store.list(layout.rawPrefix(datasetId)).isEmpty()) {
            throw new IngestFailure(IngestFailure.Reason.NOT_FOUND, "Unknown dataset", "no dataset '" + datasetId
                    + "' for tenant '" + tenant + "'; list datasets with GET /v1/datasets").with("datasetId", datasetId);
        }
        List<Map<String, String>> models = modelsTrainedOn(layout, datasetId);
        for (Map<String, String> m : models) { // the model stays for the operator to retire; the mark says why
            store.putJson(ObjectLayout.datasetErased(layout.tunedModel(m.get("modelId"))), Map.of("datasetId", datasetId,
                    "erasedAt", java.time.Instant.now().toString(), "by", String.valueOf(principal)));
        }
        long deleted = 0;
        for (String prefix : List.of(layout.rawPrefix(datasetId), layout.datasetRoot(datasetId),
                layout.feedbackRoot(datasetId))) {
            deleted += store.list(prefix).size();
            store.deletePrefix(prefix);
        }
        deleted += deleteIndexEntries(layout, datasetId);
        deleted += deleteLoggedCompletions(layout, datasetId, models.stream().map(m -> m.get("modelId")).toList());
        deleted += store.list(layout.statusPrefix(datasetId)).size();
        statuses.delete(tenant, datasetId);
        events.publish(DatasetDeleted.create(tenant, datasetId, principal));
        List<String> ids = models.stream().map(m -> m.get("modelId")).toList();
        audit.deleted(tenant, datasetId, principal, deleted, ids);
        LOG.infof("dataset %s of %s erased: %d objects; models trained on it: %s", datasetId, tenant, deleted, ids);
        return new Erased(datasetId, deleted, models);
    }

    private List<Map<String, String>> modelsTrainedOn(ObjectLayout layout, String datasetId) {
        List<Map<String, String>> out = new ArrayList<>();
        for (ObjectInfo o : store.list(layout.modelLinks())) {
            JsonNode link = Json.read(store.getBytes(o.key()), JsonNode.class);
            if (datasetId.equals(link.path("datasetId").asText())) {
                String modelId = link.path("modelId").asText();
                Map<String, String> m = new LinkedHashMap<>();
                m.put("modelId", modelId);
                m.put("model", store.uri(layout.tunedModel(modelId)));
                m.put("evaluation", store.uri(layout.evalPrefix(modelId)));
                out.add(m);
                store.delete(o.key());
            }
        }
        return out;
    }

    /** Completions logged for the dataset, or answered by a model trained on it. */
    private long deleteLoggedCompletions(ObjectLayout layout, String datasetId, List<String> modelIds) {
        long n = 0;
        for (ObjectInfo o : store.list(layout.completionsRoot())) {
            JsonNode logged = Json.read(store.getBytes(o.key()), JsonNode.class);
            if (datasetId.equals(logged.path("datasetId").asText()) || modelIds.contains(logged.path("modelId").asText())) {
                store.delete(o.key());
                n++;
            }
        }
        return n;
    }

    private long deleteIndexEntries(ObjectLayout layout, String datasetId) {
        long n = 0;
        for (ObjectInfo o : store.list(layout.contentIndexRoot())) {
            if (datasetId.equals(Json.read(store.getBytes(o.key()), JsonNode.class).path("datasetId").asText())) {
                store.delete(o.key());
                n++;
            }
        }
        return n;
    }
}
