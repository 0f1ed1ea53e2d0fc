package dev.tailor.ingest.messaging;

import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import dev.tailor.ingest.storage.StatusStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps each dataset's status document up to date from the events of the later stages. Training
 * progress carries only a jobId: the job is linked to its dataset by {@code TrainingRequested} (and
 * again by {@code ModelTrained}); a model is linked by {@code ModelTrained} for its deployments.
 */
@ApplicationScoped
public class PipelineEventsConsumer {
    private static final Logger LOG = Logger.getLogger(PipelineEventsConsumer.class);

    @Inject
    StatusStore statuses;

    @Incoming(Channels.PIPELINE_EVENTS)
    @Blocking
    public void onEvent(ConsumerRecord<String, String> record) {
        String v = record.value();
        switch (record.topic()) {
            case Topics.DATASET_CLEANED -> {
                DatasetCleaned e = Json.read(v, DatasetCleaned.class);
                statuses.update(e.tenant(), e.datasetId(), s -> s.cleaned(e));
            }
            case Topics.TRAINING_REQUESTED -> {
                TrainingRequested e = Json.read(v, TrainingRequested.class);
                statuses.linkJob(e.tenant(), e.jobId(), e.datasetId());
                statuses.update(e.tenant(), e.datasetId(), s -> s.trainingRequested(e));
            }
            case Topics.TRAINING_PROGRESS -> {
                TrainingProgress e = Json.read(v, TrainingProgress.class);
                statuses.datasetOfJob(e.tenant(), e.jobId()).ifPresentOrElse(
                        id -> statuses.update(e.tenant(), id, s -> s.progress(e)),
                        () -> LOG.debugf("progress of job %s before its request was seen; skipped", e.jobId()));
            }
            case Topics.MODEL_TRAINED -> {
                ModelTrained e = Json.read(v, ModelTrained.class);
                statuses.linkJob(e.tenant(), e.jobId(), e.datasetId());
                statuses.linkModel(e.tenant(), e.modelId(), e.datasetId());
                statuses.update(e.tenant(), e.datasetId(), s -> s.trained(e));
            }
            case Topics.MODEL_EVALUATED -> {
                ModelEvaluated e = Json.read(v, ModelEvaluated.class);
                statuses.linkModel(e.tenant(), e.modelId(), e.datasetId());
                statuses.update(e.tenant(), e.datasetId(), s -> s.evaluated(e));
            }
            case Topics.MODEL_DEPLOYMENTS -> {
                if (v == null) {
                    return; // a compaction tombstone
                }
                ModelDeployment e = Json.read(v, ModelDeployment.class);
                statuses.datasetOfModel(e.tenant(), e.modelId())
                        .ifPresent(id -> statuses.update(e.tenant(), id, s -> s.deployed(e)));
            }
            default -> LOG.warnf("unexpected topic %s on %s", record.topic(), Channels.PIPELINE_EVENTS);
        }
    }
}
