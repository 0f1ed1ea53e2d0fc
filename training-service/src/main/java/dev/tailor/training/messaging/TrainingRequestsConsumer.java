package dev.tailor.training.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.Tenant;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.training.domain.JobRejected;
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
 * planned, goes to the topic's dead-letter queue.
 */
@ApplicationScoped
public class TrainingRequestsConsumer {
    private final JobRequests requests;
    private final Tenant tenant;

    public TrainingRequestsConsumer(JobRequests requests, Tenant tenant) {
        this.requests = requests;
        this.tenant = tenant;
    }

    @Incoming(Channels.TRAINING_REQUESTED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onTrainingRequested(ConsumerRecord<String, TrainingRequested> record) {
        TrainingRequested event = Delivered.require(record, TrainingRequested.class);
        if (tenant.owns(event)) {
            requests.accept(event);
        }
    }

    @Incoming(Channels.DATASET_CLEANED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onDatasetCleaned(ConsumerRecord<String, DatasetCleaned> record) {
        DatasetCleaned event = Delivered.require(record, DatasetCleaned.class);
        if (tenant.owns(event)) {
            requests.autoTrain(event);
        }
    }
}
