package dev.tailor.inference.service;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.values.Checks;
import dev.tailor.inference.config.InferenceSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes logged completions ({@code {tenant}/completions/{id}.json}, every tenant) older than
 * {@code tailor.inference.completions.retention}, every {@code sweep-every}. Any replica may sweep: deleting a gone
 * object is no error.
 */
@ApplicationScoped
public class CompletionRetention {
    private static final Logger LOG = Logger.getLogger(CompletionRetention.class);

    private final ObjectStore store;
    private final Duration retention;
    private final Duration every;
    private ScheduledExecutorService sweeper;

    public CompletionRetention(ObjectStore store, InferenceSettings settings) {
        this.store = store;
        this.retention = settings.completions().retention();
        this.every = settings.completions().sweepEvery();
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("tailor.inference.completions.retention must be positive (e.g. P30D),"
                    + " was " + retention);
        }
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("tailor.inference.completions.sweep-every must be positive (e.g. PT1H),"
                    + " was " + every);
        }
    }

    void start(@Observes StartupEvent ignored) {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "completion-retention");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep(Instant.now());
            } catch (RuntimeException e) {
                LOG.warnf("logged completions not swept (next try in %s): %s", every, e.getMessage());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /** Deletes every tenant's completions written before {@code now - retention}; returns how many went. */
    public int sweep(Instant now) {
        Instant cutoff = now.minus(retention);
        int deleted = 0;
        for (String folder : store.folders("")) {
            String tenant = folder.substring(0, folder.length() - 1);
            if (!tenant.matches(Checks.TENANT_PATTERN)) {
                continue; // not a tenant's folder
            }
            for (ObjectInfo o : store.list(new ObjectLayout(tenant).completionsRoot())) {
                if (o.lastModified() != null && o.lastModified().isBefore(cutoff)) {
                    store.delete(o.key());
                    deleted++;
                }
            }
        }
        if (deleted > 0) {
            LOG.infof("%d logged completion(s) older than %s deleted", deleted, retention);
        }
        return deleted;
    }
}
