package dev.tailor.ingest.messaging;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The events this service publishes: {@code DatasetIngested}, waiting for the broker's ack. */
@ApplicationScoped
public class IngestEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.DATASET_INGESTED)
    Emitter<TailorEvent> ingested;

    @Override
    public void publish(TailorEvent event) {
        if (!(event instanceof DatasetIngested)) {
            throw new IllegalArgumentException("ingest-service publishes DatasetIngested only, not "
                    + event.getClass().getSimpleName());
        }
        publisher.publish(ingested, event);
    }
}
