package dev.tailor.common.messaging;

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
}
