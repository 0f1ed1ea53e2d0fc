package dev.tailor.ingest.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.PipelineStatus;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.status.StatusReducer;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline status of datasets in S3, as entries: every event (or dead letter) of a dataset is an object of its
 * own under {@code {tenant}/status/{datasetId}/} ({@link ObjectLayout#statusEntry}), and a status is what
 * {@link StatusReducer} folds them into when it is read. A write never reads, so any number of ingest replicas can
 * record events of one dataset at the same time without losing one.
 *
 * <p>Why not one document updated with a conditional write (If-Match on the ETag, retried)? The S3 server the tests
 * and the demo run, s3proxy 2.6.0, ignores If-Match and If-None-Match on PUT (only its GET/HEAD read them), so a
 * compare-and-swap would silently lose updates there. A PUT of a new key, which every S3 server makes atomic, is
 * the closest mechanism that holds everywhere. The running progress of a job is one entry per job, replaced by the
 * next report (the status shows only the latest); a job's end state is an entry of its own.
 */
@ApplicationScoped
public class StatusStore {
    private static final long[] EMPTY_LISTING_PAUSES_MS = {200, 1000};
    /** How many erasures {@link #erasedHere} remembers (the oldest are forgotten first). */
    private static final int REMEMBERED_ERASURES = 10_000;
    @Inject
    ObjectStore store;

    /**
     * Datasets whose status this instance deleted ({@code tenant/datasetId}): their late or replayed events are
     * known to be of an erased dataset without asking S3 again after pauses (a replay of a job's progress would
     * otherwise cost 1.2 s per record). A dataset id is never used again once deleted.
     */
    private final Map<String, Boolean> erasedHere = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ERASURES;
        }
    });

    /** Records one entry of dataset {@code datasetId}; the same entry twice is one object. */
    public void record(String tenant, String datasetId, StatusEntry entry) {
        store.putJson(new ObjectLayout(tenant).statusEntry(datasetId, entry.id()), entry);
    }

    /**
     * Records an entry of a later stage, only for a dataset that has a status: ingest records the first entry before
     * the dataset's event is published, so an event of a dataset without one is of an erased dataset (a replay or a
     * late event) and must not bring its status back. Returns whether it was recorded.
     */
    public boolean recordIfKnown(String tenant, String datasetId, StatusEntry entry) {
        if (erasedHere.containsKey(tenant + "/" + datasetId) || !existsAfterRetries(tenant, datasetId)) {
            return false;
        }
        record(tenant, datasetId, entry);
        return true;
    }

    /**
     * Whether the dataset has a status, asked again after a pause when the listing comes back empty: under load the
     * test S3 server (s3proxy on a file system) was seen to list nothing for a status written 100 ms before, and an
     * event dropped as "erased" would be lost. An erased dataset costs its late events these pauses, nothing more.
     */
    private boolean existsAfterRetries(String tenant, String datasetId) {
        for (long pause : EMPTY_LISTING_PAUSES_MS) {
            if (exists(tenant, datasetId)) {
                return true;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return exists(tenant, datasetId);
    }

    /** Whether anything was recorded for the dataset. */
    public boolean exists(String tenant, String datasetId) {
        ObjectLayout layout = new ObjectLayout(tenant);
        return !store.list(layout.statusPrefix(datasetId)).isEmpty() || store.exists(layout.legacyStatus(datasetId));
    }

    /** Every entry recorded for the dataset, in key order. */
    public List<StatusEntry> entries(String tenant, String datasetId) {
        ObjectLayout layout = new ObjectLayout(tenant);
        List<StatusEntry> entries = new ArrayList<>();
        for (ObjectInfo o : store.list(layout.statusPrefix(datasetId))) {
            entries.add(store.getJson(o.key(), StatusEntry.class));
        }
        return entries;
    }

    public Optional<PipelineStatus> get(String tenant, String datasetId) {
        ObjectLayout layout = new ObjectLayout(tenant);
        List<StatusEntry> entries = entries(tenant, datasetId);
        if (!entries.isEmpty()) {
            return Optional.of(StatusReducer.reduce(tenant, datasetId, entries));
        }
        String legacy = layout.legacyStatus(datasetId);
        return store.exists(legacy) ? Optional.of(store.getJson(legacy, PipelineStatus.class)) : Optional.empty();
    }

    /** Forgets everything recorded for the dataset (an upload that could not be announced). */
    public void delete(String tenant, String datasetId) {
        store.deletePrefix(new ObjectLayout(tenant).statusPrefix(datasetId));
        erasedHere.put(tenant + "/" + datasetId, Boolean.TRUE);
    }

    /** Every dataset status of a tenant, newest first. */
    public List<PipelineStatus> list(String tenant) {
        ObjectLayout layout = new ObjectLayout(tenant);
        String root = layout.statusRoot();
        Map<String, List<StatusEntry>> byDataset = new LinkedHashMap<>();
        List<PipelineStatus> out = new ArrayList<>();
        for (ObjectInfo o : store.list(root)) {
            String rest = o.key().substring(root.length());
            int slash = rest.indexOf('/');
            if (slash < 0 && rest.endsWith(".json")) {
                out.add(store.getJson(o.key(), PipelineStatus.class)); // a status written before entries
            } else if (slash > 0 && !o.key().startsWith(layout.modelLinks())) {
                byDataset.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>())
                        .add(store.getJson(o.key(), StatusEntry.class));
            }
        }
        out.removeIf(s -> byDataset.containsKey(s.datasetId));
        byDataset.forEach((id, entries) -> out.add(StatusReducer.reduce(tenant, id, entries)));
        out.sort(Comparator.comparing((PipelineStatus s) -> String.valueOf(s.created)).reversed());
        return out;
    }

    /** Remembers the dataset a model was trained on (a deployment names only the model). */
    public void linkModel(String tenant, String modelId, String datasetId) {
        store.putJson(new ObjectLayout(tenant).modelLink(modelId), Map.of("modelId", modelId, "datasetId", datasetId));
    }

    public Optional<String> datasetOfModel(String tenant, String modelId) {
        String key = new ObjectLayout(tenant).modelLink(modelId);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        JsonNode n = Json.read(store.getBytes(key), JsonNode.class);
        return Optional.ofNullable(n.path("datasetId").asText(null));
    }
}
