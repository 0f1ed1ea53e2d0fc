package dev.tailor.common.messaging;

import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Tailor events as outgoing Kafka messages, the same for every service: JSON payload, record key
 * {@link TailorEvent#key()}, CloudEvents binary headers with {@code ce_id} = eventId, {@code ce_type} =
 * {@link EventTypes#cloudEventType(Class)}, {@code ce_source} = the publishing service, {@code ce_subject} = the
 * key, {@code ce_time} = occurredAt. The messaging APIs are provided by the Quarkus services that use this.
 */
public final class EventMessages {
    private EventMessages() {
    }

    /** The message of {@code event}, acknowledged by nobody in particular (fire and forget). */
    public static Message<String> message(TailorEvent event, URI source) {
        return Message.of(Json.write(event), metadata(event, source));
    }

    /**
     * Sends {@code event} and waits until the broker has it (the caller's output is durable only then).
     *
     * @throws IllegalStateException when the broker refused it, or did not answer within {@code timeout}
     */
    public static void sendAndAwait(Emitter<String> emitter, TailorEvent event, URI source, Duration timeout) {
        String type = EventTypes.cloudEventType(event.getClass());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(Json.write(event), metadata(event, source), () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acked.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        try {
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + type, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing " + type + " for " + event.key() + " failed: " + e.getMessage(), e);
        }
    }

    private static Metadata metadata(TailorEvent event, URI source) {
        return Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build(),
                OutgoingCloudEventMetadata.<String>builder().withId(event.eventId())
                        .withType(EventTypes.cloudEventType(event.getClass())).withSource(source)
                        .withSubject(event.key()).withTimestamp(event.occurredAt().atZone(ZoneOffset.UTC)).build());
    }
}
