package dev.tailor.inference.messaging;

import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.inference.service.Feedback;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The feedback collector: one replica per record (a shared consumer group) turns feedback into examples. */
@ApplicationScoped
public class FeedbackConsumer {
    private final Feedback feedback;

    public FeedbackConsumer(Feedback feedback) {
        this.feedback = feedback;
    }

    @Incoming(Channels.COMPLETIONS_FEEDBACK)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS, abortOn = IllegalArgumentException.class)
    public void onFeedback(ConsumerRecord<String, CompletionFeedback> record) {
        feedback.collect(Delivered.require(record, CompletionFeedback.class)); // in the record's own tenant
    }
}
