package dev.tailor.training.messaging;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The events this service publishes, keyed by the id that orders them, with CloudEvents headers: progress without
 * waiting for the broker (a step's report must not slow the worker down), requests and trained models waiting for
 * its ack.
 */
@ApplicationScoped
public class TrainingEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.TRAINING_PROGRESS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<TailorEvent> progress;

    @Inject
    @Channel(Channels.MODEL_TRAINED)
    Emitter<TailorEvent> trained;

    @Inject
    @Channel(Channels.TRAINING_REQUESTS_OUT)
    Emitter<TailorEvent> requested;

    @Inject
    @Channel(Channels.AUDIT)
    Emitter<TailorEvent> audit;

    @Override
    public void publish(TailorEvent event) {
        if (event instanceof TrainingProgress) {
            publisher.send(progress, event);
        } else if (event instanceof ModelTrained) {
            publisher.publish(trained, event);
        } else if (event instanceof TrainingRequested) {
            publisher.publish(requested, event);
        } else if (event instanceof AuditEvent) {
            publisher.publish(audit, event);
        } else {
            throw new IllegalArgumentException("training-service does not publish " + event.getClass().getSimpleName());
        }
    }
}
