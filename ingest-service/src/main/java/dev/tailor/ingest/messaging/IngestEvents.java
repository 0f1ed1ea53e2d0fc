package dev.tailor.ingest.messaging;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The events this service publishes, each waiting for the broker's ack: ingested and deleted datasets, audit events. */
@ApplicationScoped
public class IngestEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.DATASET_INGESTED)
    Emitter<TailorEvent> ingested;

    @Inject
    @Channel(Channels.DATASET_DELETED)
    Emitter<TailorEvent> deleted;

    @Inject
    @Channel(Channels.AUDIT)
    Emitter<TailorEvent> audit;

    /** A dataset.ingested without waiting (the outbox waits as long as it likes); anything else as {@link #publish}. */
    @Override
    public java.util.concurrent.CompletableFuture<Void> publishAsync(TailorEvent event) {
        if (event instanceof DatasetIngested) {
            return publisher.sendAcked(ingested, event);
        }
        if (event instanceof AuditEvent) {
            return publisher.sendAcked(audit, event);
        }
        return EventSink.super.publishAsync(event);
    }

    /** Audit events never hold up a request: a broker that does not take one is logged. */
    @Override
    public void audit(AuditEvent event) {
        publisher.sendAcked(audit, event).exceptionally(e -> {
            org.jboss.logging.Logger.getLogger(IngestEvents.class).errorf("audit event %s %s/%s not sent: %s",
                    event.action(), event.tenant(), event.resourceId(), e.getMessage());
            return null;
        });
    }

    @Override
    public void publish(TailorEvent event) {
        if (event instanceof DatasetIngested) {
            publisher.publish(ingested, event);
        } else if (event instanceof DatasetDeleted) {
            publisher.publish(deleted, event);
        } else if (event instanceof AuditEvent) {
            publisher.publish(audit, event);
        } else {
            throw new IllegalArgumentException("ingest-service does not publish " + event.getClass().getSimpleName());
        }
    }
}
