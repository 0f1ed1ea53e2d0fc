package dev.tailor.eval.messaging;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The events this service publishes: evaluations, each waiting for the broker's ack. */
@ApplicationScoped
public class EvalEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.MODEL_EVALUATED)
    Emitter<TailorEvent> evaluated;

    @Inject
    @Channel(Channels.AUDIT)
    Emitter<TailorEvent> audit;

    @Override
    public void publish(TailorEvent event) {
        if (event instanceof ModelEvaluated) {
            publisher.publish(evaluated, event);
        } else if (event instanceof AuditEvent) {
            publisher.publish(audit, event);
        } else {
            throw new IllegalArgumentException("eval-service does not publish " + event.getClass().getSimpleName());
        }
    }
}
