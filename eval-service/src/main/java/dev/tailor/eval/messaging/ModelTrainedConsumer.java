package dev.tailor.eval.messaging;

import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.storage.HandledEvents;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.service.Evaluations;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * {@code model.trained} of any tenant → an evaluation in that tenant. The offset is committed after this method
 * returns, i.e. after the report is written and the events are on the broker. A replayed copy of an event handled
 * before (same event id) changes nothing ({@link HandledEvents}).
 */
@ApplicationScoped
public class ModelTrainedConsumer {
    private final Evaluations evaluations;
    private final HandledEvents handled;

    public ModelTrainedConsumer(Evaluations evaluations, ObjectStore store) {
        this.evaluations = evaluations;
        this.handled = new HandledEvents(store, "eval-service.model-trained");
    }

    @Incoming(Channels.MODEL_TRAINED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onModelTrained(ConsumerRecord<String, ModelTrained> record) {
        ModelTrained event = Delivered.require(record, ModelTrained.class);
        if (handled.seen(event)) {
            return; // a replayed copy: evaluated and published before
        }
        evaluations.evaluate(event);
        handled.done(event, java.util.List.of());
    }
}
