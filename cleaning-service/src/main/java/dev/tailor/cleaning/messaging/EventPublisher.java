package dev.tailor.cleaning.messaging;

import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Publishes {@code DatasetCleaned} keyed by datasetId with CloudEvents headers, and waits for the broker's ack. */
@ApplicationScoped
public class EventPublisher {
    static final URI SOURCE = URI.create("urn:tailor:cleaning-service");

    @Inject
    @Channel(Channels.DATASET_CLEANED)
    Emitter<String> cleaned;

    public void publishCleaned(TailorEvent event) {
        send(cleaned, event, "dev.tailor.dataset.cleaned");
    }

    static void send(Emitter<String> emitter, TailorEvent event, String type) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Metadata metadata = Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build(),
                OutgoingCloudEventMetadata.<String>builder().withId(event.eventId()).withType(type).withSource(SOURCE)
                        .withSubject(event.key()).withTimestamp(event.occurredAt().atZone(java.time.ZoneOffset.UTC)).build());
        emitter.send(Message.of(Json.write(event), metadata, () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acked.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        try {
            acked.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + type, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing " + type + " for " + event.key() + " failed: " + e.getMessage(), e);
        }
    }
}
