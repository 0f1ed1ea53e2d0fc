package dev.tailor.ingest.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.ingest.domain.DatasetStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Status documents in S3, so they survive restarts: {@code {tenant}/status/{datasetId}.json}, plus links
 * from a training job and a model to their dataset ({@code {tenant}/status/_jobs/{jobId}.json},
 * {@code {tenant}/status/_models/{modelId}.json}). Updates of one dataset are serialized in this process.
 */
@ApplicationScoped
public class StatusStore {
    private final Object[] locks = new Object[64];

    @Inject
    ObjectStore store;

    public StatusStore() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    public static String statusKey(String tenant, String datasetId) {
        return tenant + "/status/" + datasetId + ".json";
    }

    static String jobKey(String tenant, String jobId) {
        return tenant + "/status/_jobs/" + jobId + ".json";
    }

    static String modelKey(String tenant, String modelId) {
        return tenant + "/status/_models/" + modelId + ".json";
    }

    public Optional<DatasetStatus> get(String tenant, String datasetId) {
        String key = statusKey(tenant, datasetId);
        return store.exists(key) ? Optional.of(store.getJson(key, DatasetStatus.class)) : Optional.empty();
    }

    public void put(DatasetStatus status) {
        store.putBytes(statusKey(status.tenant, status.datasetId), Json.write(status).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
    }

    public void delete(String tenant, String datasetId) {
        store.delete(statusKey(tenant, datasetId));
    }

    /** Applies {@code change} to the dataset's document (created empty when missing) and stores it. */
    public DatasetStatus update(String tenant, String datasetId, Consumer<DatasetStatus> change) {
        synchronized (locks[Math.floorMod(datasetId.hashCode(), locks.length)]) {
            DatasetStatus s = get(tenant, datasetId).orElseGet(() -> {
                DatasetStatus fresh = new DatasetStatus();
                fresh.datasetId = datasetId;
                fresh.tenant = tenant;
                return fresh;
            });
            change.accept(s);
            put(s);
            return s;
        }
    }

    /** Every dataset status of a tenant, newest first. */
    public List<DatasetStatus> list(String tenant) {
        String prefix = tenant + "/status/";
        List<DatasetStatus> out = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            if (!rest.contains("/") && rest.endsWith(".json")) {
                out.add(store.getJson(o.key(), DatasetStatus.class));
            }
        }
        out.sort((a, b) -> String.valueOf(b.created).compareTo(String.valueOf(a.created)));
        return out;
    }

    public void linkJob(String tenant, String jobId, String datasetId) {
        store.putJson(jobKey(tenant, jobId), Map.of("jobId", jobId, "datasetId", datasetId));
    }

    public Optional<String> datasetOfJob(String tenant, String jobId) {
        return link(jobKey(tenant, jobId));
    }

    public void linkModel(String tenant, String modelId, String datasetId) {
        store.putJson(modelKey(tenant, modelId), Map.of("modelId", modelId, "datasetId", datasetId));
    }

    public Optional<String> datasetOfModel(String tenant, String modelId) {
        return link(modelKey(tenant, modelId));
    }

    private Optional<String> link(String key) {
        if (!store.exists(key)) {
            return Optional.empty();
        }
        JsonNode n = store.getJson(key, JsonNode.class);
        return Optional.ofNullable(n.path("datasetId").asText(null));
    }
}
