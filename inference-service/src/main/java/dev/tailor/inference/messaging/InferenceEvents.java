package dev.tailor.inference.messaging;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.events.CompletionLogged;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.messaging.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** The events this service publishes: deployments, logged completions, feedback and audit, each waiting for the ack. */
@ApplicationScoped
public class InferenceEvents implements EventSink {
    @Inject
    EventPublisher publisher;

    @Inject
    @Channel(Channels.DEPLOYMENTS_OUT)
    Emitter<TailorEvent> deployments;

    @Inject
    @Channel(Channels.COMPLETIONS_LOGGED)
    Emitter<TailorEvent> completions;

    @Inject
    @Channel(Channels.COMPLETIONS_FEEDBACK_OUT)
    Emitter<TailorEvent> feedback;

    @Inject
    @Channel(Channels.AUDIT)
    Emitter<TailorEvent> audit;

    @Override
    public void publish(TailorEvent event) {
        if (event instanceof ModelDeployment) {
            publisher.publish(deployments, event);
        } else if (event instanceof CompletionLogged) {
            publisher.publish(completions, event);
        } else if (event instanceof CompletionFeedback) {
            publisher.publish(feedback, event);
        } else if (event instanceof AuditEvent) {
            publisher.publish(audit, event);
        } else {
            throw new IllegalArgumentException("inference-service does not publish " + event.getClass().getSimpleName());
        }
    }
}
