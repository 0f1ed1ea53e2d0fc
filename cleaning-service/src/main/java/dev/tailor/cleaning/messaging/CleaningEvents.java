package dev.tailor.cleaning.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The events this service publishes: {@code DatasetCleaned}, waiting for the broker's ack. */
@ApplicationScoped
public class CleaningEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.DATASET_CLEANED)
    Emitter<TailorEvent> cleaned;

    @Override
    public void publish(TailorEvent event) {
        if (!(event instanceof DatasetCleaned)) {
            throw new IllegalArgumentException("cleaning-service publishes DatasetCleaned only, not "
                    + event.getClass().getSimpleName());
        }
        publisher.publish(cleaned, event);
    }
}
