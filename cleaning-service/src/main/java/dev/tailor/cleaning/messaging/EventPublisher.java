package dev.tailor.cleaning.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes {@code DatasetCleaned} keyed by datasetId with CloudEvents headers, and waits for the broker's ack. */
@ApplicationScoped
public class EventPublisher {
    static final URI SOURCE = URI.create("urn:tailor:cleaning-service");
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    @Channel(Channels.DATASET_CLEANED)
    Emitter<String> cleaned;

    public void publishCleaned(DatasetCleaned event) {
        EventMessages.sendAndAwait(cleaned, event, SOURCE, ACK_TIMEOUT);
    }
}
