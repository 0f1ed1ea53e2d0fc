package dev.tailor.training.messaging;

import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.json.Json;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** Publishes this service's events, keyed by the id that orders them. */
@ApplicationScoped
public class EventPublisher {

    @Inject
    @Channel(Channels.TRAINING_PROGRESS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
    MutinyEmitter<String> progress;

    @Inject
    @Channel(Channels.MODEL_TRAINED)
    MutinyEmitter<String> trained;

    /** Sends a progress event without waiting for the broker (a step's report must not slow the worker down). */
    public void progress(TrainingProgress event) {
        progress.sendMessageAndForget(message(event));
    }

    /** Sends {@code model.trained} and waits until the broker has it. */
    public void modelTrained(ModelTrained event) {
        trained.sendMessageAndAwait(message(event));
    }

    private static Message<String> message(TailorEvent event) {
        return Message.of(Json.write(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build());
    }
}
