package dev.tailor.ingest.service;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.connector.Connector;
import dev.tailor.ingest.connector.Connectors;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.IngestFailure.Reason;
import dev.tailor.ingest.domain.SourceSpec;
import dev.tailor.ingest.domain.SourceState;
import dev.tailor.ingest.domain.UploadRequest;
import dev.tailor.ingest.storage.SourceStore;
import dev.tailor.ingest.storage.StatusStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Syncs sources: pulls what is new since the source's cursor ({@link Connector}) and, when there is something,
 * ingests it as a new version of the source's dataset exactly like an upload ({@link Ingestor}: raw objects under
 * {@code raw/{datasetId}/versions/…}, manifest, status, {@code dataset.ingested}), then stores the new cursor. A sync
 * that finds nothing makes no version. A failed sync keeps the cursor and records the error on the source (FAILED).
 *
 * <p>Periodic syncs: every {@code tailor.ingest.sources-tick} each replica looks for sources whose interval has
 * passed since their last attempt and syncs those it can claim ({@link SourceStore#claim}). A sync repeated from the
 * same cursor (two replicas at once, or a replica that died before storing the cursor) pulls the same bytes, which
 * the content index answers as a duplicate: it makes no second version.
 */
@ApplicationScoped
public class SourceSync {
    private static final Logger LOG = Logger.getLogger(SourceSync.class);

    @Inject
    SourceStore sources;

    @Inject
    Ingestor ingestor;

    @Inject
    Secrets secrets;

    @Inject
    IngestSettings settings;

    @Inject
    StatusStore statuses;

    @Inject
    Audit audit;

    private final String holder = "ingest-" + UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;

    /** What a sync did: the version it made (null: nothing new, or a duplicate) and the source's state after it. */
    public record Outcome(SourceSpec source, SourceState state, SourceState.Version version) {
        public boolean versionMade() {
            return version != null && !version.duplicate();
        }
    }

    void start(@Observes StartupEvent ignored) {
        long every = settings.sourcesTick().toMillis();
        if (every <= 0) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-source-sync");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tickOnce, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    /** Registers a source (validated by {@link SourceSpec}); its dataset, when named, must exist. */
    public SourceSpec register(SourceSpec spec) {
        if (spec.cleaning() != null) {
            Ingestor.parseCleaningConfig(spec.cleaning());
        }
        Connectors.of(spec.sourceKind()).check(spec);
        if (spec.datasetId() != null && !statuses.exists(spec.tenant(), spec.datasetId())) {
            throw new IngestFailure(Reason.UNPROCESSABLE, "Unknown dataset", "no dataset '" + spec.datasetId()
                    + "' for tenant '" + spec.tenant() + "' to sync into; leave datasetId out (the first sync creates"
                    + " a dataset named after 'name') or list datasets with GET /v1/datasets")
                    .with("datasetId", spec.datasetId());
        }
        sources.save(spec);
        sources.save(spec.tenant(), spec.id(), SourceState.fresh(spec.datasetId()));
        LOG.infof("source %s (%s) registered for tenant %s", spec.id(), spec.kind(), spec.tenant());
        audit.source(AuditEvent.SOURCE_ADDED, spec.tenant(), spec.id(), spec.principal(), auditDetails(spec));
        return spec;
    }

    /** What the audit trail says of a source: kind, name, dataset and the secret's name (never the secret). */
    private static Map<String, Object> auditDetails(SourceSpec spec) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("kind", spec.kind());
        if (spec.name() != null) {
            details.put("name", spec.name());
        }
        if (spec.datasetId() != null) {
            details.put("datasetId", spec.datasetId());
        }
        if (spec.credentialsRef() != null) {
            details.put("credentialsRef", spec.credentialsRef());
        }
        return details;
    }

    /** The source, or NOT_FOUND. */
    public SourceSpec spec(String tenant, String sourceId) {
        try {
            return sources.spec(tenant, sourceId).orElseThrow(() -> unknown(tenant, sourceId));
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(Reason.INVALID, "Invalid source id", e.getMessage()).with("sourceId", sourceId);
        }
    }

    /** Syncs one source now (a sync already running for it here or in another replica answers UNAVAILABLE). */
    public Outcome sync(String tenant, String sourceId) {
        SourceSpec spec = spec(tenant, sourceId);
        String key = tenant + "/" + sourceId;
        if (!running.add(key)) {
            throw busy(sourceId, settings.sourcesTimeout().toSeconds());
        }
        try {
            if (!sources.claim(tenant, sourceId, holder, settings.sourcesLease())) {
                long wait = sources.lease(tenant, sourceId)
                        .map(l -> Math.max(1, l.until().getEpochSecond() - Instant.now().getEpochSecond())).orElse(1L);
                throw busy(sourceId, wait);
            }
            try {
                return syncClaimed(spec);
            } finally {
                sources.release(tenant, sourceId, holder);
            }
        } finally {
            running.remove(key);
        }
    }

    private Outcome syncClaimed(SourceSpec spec) {
        Instant started = Instant.now();
        SourceState state = sources.state(spec.tenant(), spec.id()).attempted(started);
        sources.save(spec.tenant(), spec.id(), state);
        try {
            var secret = secrets.resolve(spec.credentialsRef());
            Connector.Pull pull = Connectors.of(spec.sourceKind()).pull(spec, state.cursor(), secret,
                    new Connector.Limits(settings.sourcesMaxRecords(), settings.sourcesTimeout()));
            if (pull.empty()) {
                SourceState after = state.synced(Instant.now(), pull.cursor(), null);
                sources.save(spec.tenant(), spec.id(), after);
                LOG.debugf("source %s (%s): nothing new", spec.id(), spec.tenant());
                return new Outcome(spec, after, null);
            }
            String versionOf = state.datasetId() != null ? state.datasetId() : spec.datasetId();
            UploadRequest req = new UploadRequest(spec.tenant(), spec.name(), pull.fileName(), pull.contentType(),
                    spec.autoTrain(), spec.baseModel(), spec.cleaning(), "source:" + spec.kind(), spec.principal());
            Ingestor.Result r = ingestor.upload(req, new ByteArrayInputStream(pull.data()), Map.of(), versionOf);
            Object records = r.body().get("records");
            SourceState.Version v = new SourceState.Version(r.datasetId(), (String) r.body().get("raw"), Instant.now(),
                    records instanceof Number n ? n.longValue() : pull.records(), (String) r.body().get("format"),
                    r.duplicate());
            SourceState after = state.synced(Instant.now(), pull.cursor(), v);
            if (sources.spec(spec.tenant(), spec.id()).isEmpty()) { // deleted while it synced: leave no state behind
                return new Outcome(spec, after, v);
            }
            sources.save(spec.tenant(), spec.id(), after);
            LOG.infof("source %s (%s): %d %s into %s%s", spec.id(), spec.tenant(), pull.records(), spec.kind(),
                    r.datasetId(), r.duplicate() ? " (identical to what was ingested before: no new version)" : "");
            return new Outcome(spec, after, v);
        } catch (IngestFailure f) {
            sources.save(spec.tenant(), spec.id(), state.failed(Instant.now(), f.title(), f.getMessage()));
            LOG.warnf("source %s (%s) failed: %s", spec.id(), spec.tenant(), f.getMessage());
            throw f.with("sourceId", spec.id());
        } catch (RuntimeException e) {
            String detail = "the sync failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "; nothing was kept and the cursor stays, sync again";
            sources.save(spec.tenant(), spec.id(), state.failed(Instant.now(), "Sync failed", detail));
            LOG.warnf(e, "source %s (%s) failed", spec.id(), spec.tenant());
            throw new IngestFailure(Reason.UNAVAILABLE, "Sync failed", detail).with("sourceId", spec.id());
        }
    }

    /** One pass of the periodic syncs: every source whose interval has passed since its last attempt. */
    void tickOnce() {
        try {
            for (SourceStore.Indexed i : sources.index()) {
                try {
                    SourceSpec spec = sources.spec(i.tenant(), i.sourceId()).orElse(null);
                    if (spec == null || spec.interval() == null || running.contains(i.tenant() + "/" + i.sourceId())) {
                        continue;
                    }
                    SourceState state = sources.state(i.tenant(), i.sourceId());
                    if (state.lastAttempt() != null && state.lastAttempt().plus(spec.interval()).isAfter(Instant.now())) {
                        continue;
                    }
                    sync(i.tenant(), i.sourceId());
                } catch (IngestFailure e) {
                    LOG.debugf("periodic sync of %s/%s: %s", i.tenant(), i.sourceId(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.warnf("periodic sync of %s/%s failed: %s", i.tenant(), i.sourceId(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("periodic syncs: the source index could not be read: %s", e.getMessage());
        }
    }

    /** Removes a source; the datasets and versions it made stay. */
    public void delete(String tenant, String sourceId, String principal) {
        SourceSpec spec = spec(tenant, sourceId);
        sources.delete(tenant, sourceId);
        audit.source(AuditEvent.SOURCE_REMOVED, tenant, sourceId, principal, auditDetails(spec));
        LOG.infof("source %s deleted for tenant %s", sourceId, tenant);
    }

    private static IngestFailure unknown(String tenant, String sourceId) {
        return new IngestFailure(Reason.NOT_FOUND, "Unknown source", "no source '" + sourceId + "' for tenant '" + tenant
                + "'; list sources with GET /v1/sources").with("sourceId", sourceId);
    }

    private static IngestFailure busy(String sourceId, long retryAfter) {
        return new IngestFailure(Reason.UNAVAILABLE, "Sync in progress", "source '" + sourceId + "' is being synced"
                + " now (by this or another replica); its state shows the result when it ends, or sync again later")
                .with("sourceId", sourceId).with("retryAfterSeconds", retryAfter);
    }
}
