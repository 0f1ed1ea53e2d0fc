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
