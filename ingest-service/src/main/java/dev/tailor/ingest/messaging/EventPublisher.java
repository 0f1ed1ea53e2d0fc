package dev.tailor.ingest.messaging;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes {@code DatasetIngested} keyed by datasetId with CloudEvents headers, and waits for the broker's ack. */
@ApplicationScoped
public class EventPublisher {
    static final URI SOURCE = URI.create("urn:tailor:ingest-service");
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel(Channels.DATASET_INGESTED)
    Emitter<String> ingested;

    public void publish(DatasetIngested event) {
        EventMessages.sendAndAwait(ingested, event, SOURCE, ACK_TIMEOUT);
    }
}
