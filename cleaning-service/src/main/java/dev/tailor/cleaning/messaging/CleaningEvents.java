package dev.tailor.cleaning.messaging;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The events this service publishes, waiting for the broker's ack: {@code DatasetCleaned} and audit events. */
@ApplicationScoped
public class CleaningEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.DATASET_CLEANED)
    Emitter<TailorEvent> cleaned;

    @Inject
    @Channel(Channels.AUDIT)
    Emitter<TailorEvent> audit;

    @Override
    public void publish(TailorEvent event) {
        if (event instanceof DatasetCleaned) {
            publisher.publish(cleaned, event);
        } else if (event instanceof AuditEvent) {
            publisher.publish(audit, event);
        } else {
            throw new IllegalArgumentException("cleaning-service does not publish " + event.getClass().getSimpleName());
        }
    }
}
