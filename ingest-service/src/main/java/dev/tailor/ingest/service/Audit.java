package dev.tailor.ingest.service;

import dev.tailor.common.auth.ApiKeyRecord;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail of what callers do through this service ({@code tailor.audit}): uploads, deletions, API keys.
 * Sent after the fact; a broker that does not take it is logged, never undoes the action.
 */
@ApplicationScoped
public class Audit {
    private final EventSink events;

    public Audit(EventSink events) {
        this.events = events;
    }

    void uploaded(DatasetIngested e, String principal, boolean newVersion, long bytes) {
        send(AuditEvent.of(e.tenant(), actor(principal), null, AuditEvent.DATASET_UPLOADED, "dataset", e.datasetId(),
                Map.of("name", e.name(), "records", e.records(), "bytes", bytes, "newVersion", newVersion,
                        "rawPrefix", e.rawPrefix())));
    }

    /** A re-clean of version {@code of} (null: of the upload) as {@code version}, with the settings it changes. */
    void recleaned(DatasetIngested e, String principal, String of, String version, Map<String, Object> changed) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("version", version);
        if (of != null) {
            details.put("recleanOf", of);
        }
        details.put("settingsChanged", changed.keySet().stream().sorted().toList());
        send(AuditEvent.of(e.tenant(), actor(principal), null, AuditEvent.DATASET_RECLEANED, "dataset", e.datasetId(),
                details));
    }

    void deleted(String tenant, String datasetId, String principal, long objects, List<String> models) {
        send(AuditEvent.of(tenant, actor(principal), null, AuditEvent.DATASET_DELETED, "dataset", datasetId,
                Map.of("objectsDeleted", objects, "modelsTrainedOnIt", models)));
    }

    /**
     * A source was registered or removed: its kind, dataset and the name of its secret (a reference, never the
     * secret).
     */
    public void source(String action, String tenant, String sourceId, String principal, Map<String, Object> details) {
        send(AuditEvent.of(tenant, actor(principal), null, action, "source", sourceId, details));
    }

    /** A key was created or revoked (its id, name, roles and expiry; never the key). */
    public void apiKey(String action, ApiKeyRecord key, String principal) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", key.name());
        details.put("roles", key.roles());
        details.put("expiresAt", key.expiresAt().toString());
        send(AuditEvent.of(key.tenant(), actor(principal), null, action, "api-key", key.keyId(), details));
    }

    private static String actor(String principal) {
        return principal != null ? principal : AuditEvent.service("ingest-service");
    }

    private void send(AuditEvent event) {
        events.audit(event);
    }
}
