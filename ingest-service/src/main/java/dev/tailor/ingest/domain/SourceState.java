package dev.tailor.ingest.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a source stands: its cursor (what has been pulled: UIDs per folder, offsets per partition, the cursor
 * column's last value, the keys and ETags seen), the dataset its syncs feed, the versions they made and the last
 * error.
 *
 * @param state         NEW (never synced), OK (the last sync worked) or FAILED (see lastError)
 * @param datasetId     the dataset the syncs feed (null until the first version of a new dataset)
 * @param cursor        the connector's cursor
 * @param lastAttempt   when the last sync started
 * @param lastSync      when the last sync ended well
 * @param versionsMade  versions made so far
 * @param recordsSynced records pulled into versions so far
 * @param versions      the newest versions made (at most {@link #KEPT_VERSIONS})
 * @param lastError     why the last sync failed (title, detail, at), or null
 */
public record SourceState(String state, String datasetId, Map<String, String> cursor, Instant lastAttempt,
                          Instant lastSync, int versionsMade, long recordsSynced, List<Version> versions,
                          Map<String, Object> lastError) {
    public static final int KEPT_VERSIONS = 20;

    /** One version a sync made: the dataset, its raw prefix, when, how many records, whether it was new content. */
    public record Version(String datasetId, String raw, Instant at, long records, String format, boolean duplicate) {
    }

    public SourceState {
        cursor = cursor == null ? Map.of() : Map.copyOf(cursor);
        versions = versions == null ? List.of() : List.copyOf(versions);
    }

    public static SourceState fresh(String datasetId) {
        return new SourceState("NEW", datasetId, Map.of(), null, null, 0, 0, List.of(), null);
    }

    public SourceState attempted(Instant at) {
        return new SourceState(state, datasetId, cursor, at, lastSync, versionsMade, recordsSynced, versions, lastError);
    }

    /** A sync that ended well: a new cursor, and the version it made (or null). */
    public SourceState synced(Instant at, Map<String, String> next, Version made) {
        List<Version> kept = new ArrayList<>(versions);
        int made2 = versionsMade;
        long records = recordsSynced;
        String dataset = datasetId;
        if (made != null) {
            kept.add(made);
            if (!made.duplicate()) {
                made2++;
                records += made.records();
            }
            if (dataset == null && !made.duplicate()) {
                dataset = made.datasetId();
            }
        }
        while (kept.size() > KEPT_VERSIONS) {
            kept.remove(0);
        }
        return new SourceState("OK", dataset, next, lastAttempt, at, made2, records, kept, null);
    }

    /** A sync that failed: the cursor stays, the error is kept. */
    public SourceState failed(Instant at, String title, String detail) {
        return new SourceState("FAILED", datasetId, cursor, lastAttempt, lastSync, versionsMade, recordsSynced, versions,
                Map.of("title", title, "detail", detail, "at", at.toString()));
    }
}
