package dev.tailor.common.messaging;

import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.values.Checks;
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
 * The one way Tailor events leave a service: the record itself as payload (serialized by the channel's
 * {@link dev.tailor.common.messaging.serde.EventSerializer}), record key {@link TailorEvent#key()}, CloudEvents
 * binary headers with {@code ce_id} = eventId, {@code ce_type} = {@link EventTypes#cloudEventType(Class)},
 * {@code ce_source} = {@code urn:tailor:<service>}, {@code ce_subject} = the key, {@code ce_time} = occurredAt.
 * The messaging APIs are provided by the Quarkus services that use this.
 */
public final class EventPublisher {
    /** How long {@link #publish} waits for the broker's acknowledgement. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    private final URI source;

    /** @param service the publishing service, e.g. {@code ingest-service} */
    public EventPublisher(String service) {
        this.source = source(service);
    }

    /** {@code urn:tailor:<service>}: the CloudEvents source of every event a service publishes. */
    public static URI source(String service) {
        if (Checks.notBlank("service", service).chars().anyMatch(c -> Character.isWhitespace(c) || c == ':')) {
            throw new IllegalArgumentException("service must be a name without spaces or ':', got '" + service + "'");
        }
        return URI.create("urn:tailor:" + service);
    }

    public URI source() {
        return source;
    }

    /** The message of {@code event}, acknowledged by nobody in particular (fire and forget). */
    public Message<TailorEvent> message(TailorEvent event) {
        return Message.of(event, metadata(event));
    }

    /** Sends {@code event} without waiting for the broker (progress reports that must not slow their producer). */
    public void send(Emitter<TailorEvent> emitter, TailorEvent event) {
        emitter.send(message(event));
    }

    /**
     * Sends {@code event} and waits until the broker has it (the caller's output is durable only then).
     *
     * @throws IllegalStateException when the broker refused it, or did not answer within {@link #ACK_TIMEOUT}
     */
    public void publish(Emitter<TailorEvent> emitter, TailorEvent event) {
        String type = EventTypes.cloudEventType(event.getClass());
        try {
            sendAcked(emitter, event).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + type, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing " + type + " for " + event.key() + " failed: " + e.getMessage(), e);
        }
    }

    /** Sends {@code event}; the future completes when the broker has it, or fails when the producer gave up. */
    public CompletableFuture<Void> sendAcked(Emitter<TailorEvent> emitter, TailorEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        emitter.send(Message.of(event, metadata(event), () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        }, failure -> {
            acked.completeExceptionally(failure);
            return CompletableFuture.completedFuture(null);
        }));
        return acked;
    }

    private Metadata metadata(TailorEvent event) {
        return Metadata.of(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build(),
                OutgoingCloudEventMetadata.<TailorEvent>builder().withId(event.eventId())
                        .withType(EventTypes.cloudEventType(event.getClass())).withSource(source)
                        .withSubject(event.key()).withTimestamp(event.occurredAt().atZone(ZoneOffset.UTC)).build());
    }
}
