package dev.tailor.common.messaging;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.TailorEvent;

/**
 * Where a service's use cases hand the events they produce; each service's messaging package implements it with its
 * outgoing channels and {@link EventPublisher}, so use cases do not depend on messaging.
 */
public interface EventSink {
    /**
     * Publishes {@code event} on its topic. Returns once the broker has it, except for progress reports, which are
     * sent without waiting.
     *
     * @throws IllegalStateException when the broker did not take it
     */
    void publish(TailorEvent event);

    /**
     * Sends {@code event} without waiting: the future completes when the broker has it, or fails when the producer
     * gave up. By default this publishes and waits.
     */
    default java.util.concurrent.CompletableFuture<Void> publishAsync(TailorEvent event) {
        try {
            publish(event);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Publishes an audit event ({@code tailor.audit}) after the fact: a broker that does not take it is logged as an
     * error and never undoes what was done.
     */
    default void audit(AuditEvent event) {
        try {
            publish(event);
        } catch (RuntimeException e) {
            System.getLogger(EventSink.class.getName()).log(System.Logger.Level.ERROR, "audit event " + event.action()
                    + " " + event.tenant() + "/" + event.resourceId() + " not sent: " + e.getMessage());
        }
    }
}
