package dev.tailor.training.messaging;

import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.messaging.EventMessages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes this service's events, keyed by the id that orders them, with CloudEvents headers. */
@ApplicationScoped
public class EventPublisher {
    static final URI SOURCE = URI.create("tailor/training-service");
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    @Channel(Channels.TRAINING_PROGRESS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    Emitter<String> progress;

    @Inject
    @Channel(Channels.MODEL_TRAINED)
    Emitter<String> trained;

    /** Sends a progress event without waiting for the broker (a step's report must not slow the worker down). */
    public void progress(TrainingProgress event) {
        progress.send(EventMessages.message(event, SOURCE));
    }

    /** Sends {@code model.trained} and waits until the broker has it. */
    public void modelTrained(ModelTrained event) {
        EventMessages.sendAndAwait(trained, event, SOURCE, ACK_TIMEOUT);
    }
}
