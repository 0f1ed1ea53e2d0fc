package dev.tailor.inference.messaging;

import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.storage.HandledEvents;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.inference.service.Feedback;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The feedback collector: one replica per record (a shared consumer group) turns feedback into examples. A replayed
 * copy of feedback handled before (same event id) changes nothing ({@link HandledEvents}): its example may have been
 * taken by a new version of the dataset since (moved from pending to collected), and must not come back as pending.
 */
@ApplicationScoped
public class FeedbackConsumer {
    private final Feedback feedback;
    private final HandledEvents handled;

    public FeedbackConsumer(Feedback feedback, ObjectStore store) {
        this.feedback = feedback;
        this.handled = new HandledEvents(store, "inference-service.completions-feedback");
    }

    @Incoming(Channels.COMPLETIONS_FEEDBACK)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, abortOn = IllegalArgumentException.class)
    public void onFeedback(ConsumerRecord<String, CompletionFeedback> record) {
        CompletionFeedback f = Delivered.require(record, CompletionFeedback.class);
        if (handled.seen(f)) {
            return; // a replayed copy: collected before
        }
        feedback.collect(f); // in the record's own tenant
        handled.done(f, List.of());
    }
}
