package dev.tailor.training.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.storage.HandledEvents;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.service.JobController;
import dev.tailor.training.service.JobRequests;
import dev.tailor.training.storage.TrainingStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Starts jobs from {@code training.requested}, and turns a {@code dataset.cleaned} whose upload asked for it into a
 * request. Only accepting the job happens here (a few S3 reads); training runs on the controller's executor, so the
 * poll loop never waits for it. Transient failures are retried twice; a record that still fails, or cannot be
 * planned, goes to the topic's dead-letter queue. Every event is handled in its own tenant: one deployment trains for
 * all tenants, each job reading and writing only its tenant's objects. A replayed copy of an event handled before (same
 * event id) changes nothing ({@link HandledEvents}).
 */
@ApplicationScoped
public class TrainingRequestsConsumer {
    private final JobRequests requests;
    private final JobController controller;

    private final HandledEvents requested;
    private final HandledEvents cleaned;

    public TrainingRequestsConsumer(JobRequests requests, JobController controller, TrainingStore store) {
        this.requests = requests;
        this.controller = controller;
        this.requested = new HandledEvents(store.objects(), "training-service.training-requested");
        this.cleaned = new HandledEvents(store.objects(), "training-service.dataset-cleaned");
    }

    @Incoming(Channels.TRAINING_REQUESTED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onTrainingRequested(ConsumerRecord<String, TrainingRequested> record) {
        TrainingRequested event = Delivered.require(record, TrainingRequested.class);
        if (requested.seen(event)) {
            return; // a replayed copy: its job was accepted before (and may have finished)
        }
        requests.accept(event);
        requested.done(event, List.of());
    }

    @Incoming(Channels.DATASET_CLEANED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onDatasetCleaned(ConsumerRecord<String, DatasetCleaned> record) {
        DatasetCleaned event = Delivered.require(record, DatasetCleaned.class);
        if (cleaned.seen(event)) {
            return; // a replayed copy: its training request (if any) was published before
        }
        List<String> published = requests.autoTrain(event).map(r -> List.of(r.eventId())).orElse(List.of());
        cleaned.done(event, published);
    }

    /** A dataset was erased: its jobs stop, and their local copies of its splits are deleted. */
    @Incoming(Channels.DATASET_DELETED)
    @Blocking
    public void onDatasetDeleted(ConsumerRecord<String, DatasetDeleted> record) {
        DatasetDeleted event = Delivered.require(record, DatasetDeleted.class);
        controller.erase(event.tenant(), event.datasetId());
    }
}
