package dev.tailor.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.output.Split;
import dev.tailor.dataprep.output.VersionDiff;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.IngestFailure.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Map;

/**
 * The diff of one cleaned version against another: the {@code diff.json} cleaning stored with a re-cleaned version
 * when it is the one asked for, else computed now from both versions' splits and reports ({@link VersionDiff},
 * streamed from S3).
 */
@ApplicationScoped
public class VersionDiffs {
    /** How many added, removed and changed examples a computed diff shows (each); cleaning stores as many. */
    static final int SAMPLES = 10;

    @Inject
    ObjectStore store;

    @Inject
    Recleaner recleaner;

    /**
     * @param against the version to compare with; null = the version it was re-cleaned from, or else the previous
     *     version its report diffs against
     */
    public JsonNode diff(String tenant, String datasetId, String version, String against) {
        ObjectLayout layout = new ObjectLayout(tenant);
        Manifest after = recleaner.cleanedVersion(layout, datasetId, version);
        Object recleanOf = after.details().get("recleanOf");
        String other = against;
        if (other == null || other.isBlank()) {
            other = recleanOf != null ? recleanOf.toString() : previousOf(after);
        }
        if (other == null) {
            throw new IngestFailure(Reason.NOT_FOUND, "Nothing to compare with", "version '" + version + "' of dataset '"
                    + datasetId + "' was not re-cleaned from another version and had no version before it; name the"
                    + " version to compare with as ?against=<version> (GET /v1/datasets/" + datasetId + "/versions lists"
                    + " them)").with("datasetId", datasetId).with("version", version);
        }
        Manifest before = recleaner.cleanedVersion(layout, datasetId, other);
        String stored = layout.diff(datasetId, version);
        if (other.equals(recleanOf) && store.exists(stored)) {
            return store.getJson(stored, JsonNode.class);
        }
        Map<String, Object> d = new VersionDiff(SAMPLES).compare(other, files(before), version, files(after));
        return dev.tailor.common.json.Json.mapper().valueToTree(d);
    }

    /** The version a version's report diffs against (a later upload's previous version), or null. */
    private String previousOf(Manifest m) {
        String report = m.output("report");
        if (report == null || !store.exists(store.keyOf(report))) {
            return null;
        }
        JsonNode previous = store.getJson(store.keyOf(report), JsonNode.class).path("diff").path("previousVersion");
        return previous.isTextual() ? previous.asText() : null;
    }

    private VersionDiff.Files files(Manifest m) {
        return new VersionDiff.Files() {
            @Override
            public InputStream split(Split s) {
                String uri = m.output(s.id());
                return uri == null || !store.exists(store.keyOf(uri)) ? null : store.get(store.keyOf(uri));
            }

            @Override
            public InputStream report() {
                String uri = m.output("report");
                return uri == null || !store.exists(store.keyOf(uri)) ? null : store.get(store.keyOf(uri));
            }
        };
    }
}
