package dev.tailor.ingest.service;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.ingest.config.IngestSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * An upload and its {@code dataset.ingested} are kept together or not at all: the event is written to S3 with the
 * upload ({@link ObjectLayout#outboxEntry}) before it is sent, the upload is answered once that is stored (after
 * waiting a little for the broker), and the entry is deleted when the broker has the event. A relay sends again
 * what is left: entries whose send failed here, and, after {@link #ORPHANED_AFTER}, entries of a process that ended
 * (or of another replica) before the broker answered. An entry is never sent twice at once by this process; a
 * process that dies after the broker took the event but before the entry was deleted makes the relay send it again
 * with the same event id, which consumers recognise as a copy.
 */
@ApplicationScoped
public class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class);
    /** Older entries that no send of this process is working on are sent again (longer than a producer retries). */
    static final Duration ORPHANED_AFTER = EventPublisher.ACK_TIMEOUT.multipliedBy(3);

    private final ObjectStore store;
    private final EventSink events;
    private final IngestSettings settings;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>(); // entry key → send
    private final Map<String, Boolean> failedHere = new ConcurrentHashMap<>();
    private ScheduledExecutorService relay;

    public Outbox(ObjectStore store, EventSink events, IngestSettings settings) {
        this.store = store;
        this.events = events;
        this.settings = settings;
    }

    void start(@Observes StartupEvent ignored) {
        relay = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-outbox-relay");
            t.setDaemon(true);
            return t;
        });
        long every = settings.outboxRelayEvery().toMillis();
        relay.scheduleWithFixedDelay(this::relayOnce, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (relay != null) {
            relay.shutdownNow();
        }
    }

    /** Stores {@code event} with its upload: from now on the upload is kept and the event will be published. */
    public void store(DatasetIngested event) {
        store.putJson(new ObjectLayout(event.tenant()).outboxEntry(event.eventId()), event);
    }

    /**
     * Sends a stored event and waits up to {@code tailor.ingest.publish-wait} for the broker.
     *
     * @return whether the broker has it now (else it is published as soon as the broker answers)
     */
    public boolean publish(DatasetIngested event) {
        CompletableFuture<Void> sent = send(new ObjectLayout(event.tenant()).outboxEntry(event.eventId()), event);
        try {
            sent.get(settings.publishWait().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stored events not yet published, over every tenant. */
    public int pending() {
        return store.list(ObjectLayout.outbox()).size();
    }

    private CompletableFuture<Void> send(String key, DatasetIngested event) {
        return inFlight.computeIfAbsent(key, k -> {
            failedHere.remove(k);
            CompletableFuture<Void> sent = events.publishAsync(event);
            sent.whenComplete((ok, failure) -> {
                if (failure == null) {
                    try {
                        store.delete(k);
                    } catch (RuntimeException e) {
                        LOG.warnf("dataset.ingested %s is published; its outbox entry stays until the next try: %s",
                                event.eventId(), e.getMessage());
                    }
                } else {
                    failedHere.put(k, true);
                    LOG.warnf("dataset.ingested %s of %s not published yet (%s); the outbox relay retries",
                            event.eventId(), event.datasetId(), failure.getMessage());
                }
                inFlight.remove(k);
            });
            return sent;
        });
    }

    /** One pass of the relay: sends again what failed here, and what nobody took care of for a long time. */
    void relayOnce() {
        try {
            Instant orphaned = Instant.now().minus(ORPHANED_AFTER);
            for (ObjectInfo o : store.list(ObjectLayout.outbox())) {
                if (inFlight.containsKey(o.key())) {
                    continue;
                }
                if (!failedHere.containsKey(o.key()) && o.lastModified() != null
                        && o.lastModified().isAfter(orphaned)) {
                    continue; // another replica's (or this process's) first send may still be under way
                }
                DatasetIngested event;
                try {
                    event = store.getJson(o.key(), DatasetIngested.class);
                } catch (ObjectNotFoundException gone) {
                    continue;
                }
                if (!store.exists(store.keyOf(event.manifest()))) {
                    LOG.warnf("outbox: dataset %s of %s was erased before its event was published; dropped",
                            event.datasetId(), event.tenant());
                    store.delete(o.key());
                    continue;
                }
                LOG.infof("outbox: publishing dataset.ingested %s of %s again", event.eventId(), event.datasetId());
                send(o.key(), event);
            }
        } catch (RuntimeException e) {
            LOG.warnf("outbox relay pass failed (retried in %s): %s", settings.outboxRelayEvery(), e.getMessage());
        }
    }
}
