package dev.tailor.ingest.messaging;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Publishes {@code DatasetIngested} keyed by datasetId with CloudEvents headers, and waits for the broker's ack. */
@ApplicationScoped
public class EventPublisher {
    static final URI SOURCE = URI.create("urn:tailor:ingest-service");
    static final String TYPE = "dev.tailor.dataset.ingested";

    @Inject
    @Channel(Channels.DATASET_INGESTED)
    Emitter<String> ingested;

    public void publish(DatasetIngested event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Metadata metadata = Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build(),
                OutgoingCloudEventMetadata.<String>builder().withId(event.eventId()).withType(TYPE).withSource(SOURCE)
                        .withSubject(event.key()).withTimestamp(event.occurredAt().atZone(ZoneOffset.UTC)).build());
        ingested.send(Message.of(Json.write(event), metadata, () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acked.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        try {
            acked.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + TYPE, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing " + TYPE + " for " + event.key() + " failed: " + e.getMessage(), e);
        }
    }
}
