package dev.tailor.ingest.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What the later stages wrote about a dataset, read from S3 only (never another service's code): each cleaned
 * version's report and profile, and the base models of the tenant an upload may name.
 */
@ApplicationScoped
public class DatasetObjects {
    private final ObjectStore store;

    public DatasetObjects(ObjectStore store) {
        this.store = store;
    }

    /** The cleaning report of one version ({@code report.json}), if it was written. */
    public Optional<JsonNode> report(String tenant, String datasetId, String version) {
        return json(new ObjectLayout(tenant).report(datasetId, version));
    }

    /** The profile of one version ({@code profile.json}, written by cleaning since issue 14), if it was written. */
    public Optional<JsonNode> profile(String tenant, String datasetId, String version) {
        return json(new ObjectLayout(tenant).profile(datasetId, version));
    }

    /** The base models of the tenant: the folders under {@code models/base/} with a {@code config.json}. */
    public List<String> baseModels(String tenant) {
        String root = new ObjectLayout(tenant).baseModelsRoot();
        TreeSet<String> names = new TreeSet<>();
        for (ObjectInfo o : store.list(root)) {
            String rest = o.key().substring(root.length());
            if (rest.endsWith("/config.json")) {
                names.add(rest.substring(0, rest.length() - "/config.json".length()));
            }
        }
        return List.copyOf(names);
    }

    /** Whether base model {@code name} is in the tenant's S3 folder (its config.json is there). */
    public boolean hasBaseModel(String tenant, String name) {
        try {
            return store.exists(ObjectLayout.modelConfig(new ObjectLayout(tenant).baseModel(name)));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Optional<JsonNode> json(String key) {
        return store.exists(key) ? Optional.of(Json.read(store.getBytes(key), JsonNode.class)) : Optional.empty();
    }
}
