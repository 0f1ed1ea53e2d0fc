package dev.tailor.training.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.service.JobController;
import dev.tailor.training.service.JobRequests;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Starts jobs from {@code training.requested}, and turns a {@code dataset.cleaned} whose upload asked for it into a
 * request. Only accepting the job happens here (a few S3 reads); training runs on the controller's executor, so the
 * poll loop never waits for it. Transient failures are retried twice; a record that still fails, or cannot be
 * planned, goes to the topic's dead-letter queue. Every event is handled in its own tenant: one deployment trains for
 * all tenants, each job reading and writing only its tenant's objects.
 */
@ApplicationScoped
public class TrainingRequestsConsumer {
    private final JobRequests requests;
    private final JobController controller;

    public TrainingRequestsConsumer(JobRequests requests, JobController controller) {
        this.requests = requests;
        this.controller = controller;
    }

    @Incoming(Channels.TRAINING_REQUESTED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onTrainingRequested(ConsumerRecord<String, TrainingRequested> record) {
        requests.accept(Delivered.require(record, TrainingRequested.class));
    }

    @Incoming(Channels.DATASET_CLEANED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onDatasetCleaned(ConsumerRecord<String, DatasetCleaned> record) {
        requests.autoTrain(Delivered.require(record, DatasetCleaned.class));
    }

    /** A dataset was erased: its jobs stop, and their local copies of its splits are deleted. */
    @Incoming(Channels.DATASET_DELETED)
    @Blocking
    public void onDatasetDeleted(ConsumerRecord<String, DatasetDeleted> record) {
        DatasetDeleted event = Delivered.require(record, DatasetDeleted.class);
        controller.erase(event.tenant(), event.datasetId());
    }
}
