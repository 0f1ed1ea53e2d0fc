package dev.tailor.ingest.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.Delivered;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.ingest.storage.StatusStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Records the events of the later stages as status entries of their dataset: every event names its dataset except
 * a deployment, which names its model (linked to the dataset by {@code ModelTrained}). An event of an erased dataset
 * (a replay of the topic's history, or one that was late) records nothing: erasure stays erasure.
 */
@ApplicationScoped
public class StatusEventsConsumer {
    private static final Logger LOG = Logger.getLogger(StatusEventsConsumer.class);

    @Inject
    StatusStore statuses;

    @Incoming(Channels.DATASET_CLEANED)
    @Blocking
    public void cleaned(ConsumerRecord<String, DatasetCleaned> record) {
        DatasetCleaned e = Delivered.require(record, DatasetCleaned.class);
        record(e.tenant(), e.datasetId(), StatusEntry.of(e));
    }

    @Incoming(Channels.TRAINING_REQUESTED)
    @Blocking
    public void trainingRequested(ConsumerRecord<String, TrainingRequested> record) {
        TrainingRequested e = Delivered.require(record, TrainingRequested.class);
        record(e.tenant(), e.datasetId(), StatusEntry.of(e));
    }

    @Incoming(Channels.TRAINING_PROGRESS)
    @Blocking
    public void progress(ConsumerRecord<String, TrainingProgress> record) {
        TrainingProgress e = Delivered.require(record, TrainingProgress.class);
        if (e.datasetId() == null) {
            LOG.debugf("progress of job %s names no dataset (an older producer); skipped", e.jobId());
            return;
        }
        record(e.tenant(), e.datasetId(), StatusEntry.of(e));
    }

    @Incoming(Channels.MODEL_TRAINED)
    @Blocking
    public void trained(ConsumerRecord<String, ModelTrained> record) {
        ModelTrained e = Delivered.require(record, ModelTrained.class);
        if (record(e.tenant(), e.datasetId(), StatusEntry.of(e))) {
            statuses.linkModel(e.tenant(), e.modelId(), e.datasetId());
        }
    }

    @Incoming(Channels.MODEL_EVALUATED)
    @Blocking
    public void evaluated(ConsumerRecord<String, ModelEvaluated> record) {
        ModelEvaluated e = Delivered.require(record, ModelEvaluated.class);
        if (record(e.tenant(), e.datasetId(), StatusEntry.of(e))) {
            statuses.linkModel(e.tenant(), e.modelId(), e.datasetId());
        }
    }

    /** Records {@code entry} unless the dataset was erased (a replayed or late event must not bring it back). */
    private boolean record(String tenant, String datasetId, StatusEntry entry) {
        if (statuses.recordIfKnown(tenant, datasetId, entry)) {
            return true;
        }
        LOG.infof("dataset %s of %s has no status (erased): %s not recorded", datasetId, tenant, entry.id());
        return false;
    }

    @Incoming(Channels.MODEL_DEPLOYMENTS)
    @Blocking
    public void deployed(ConsumerRecord<String, ModelDeployment> record) {
        Delivered.value(record, ModelDeployment.class).ifPresent(e -> statuses.datasetOfModel(e.tenant(), e.modelId())
                .ifPresent(id -> statuses.record(e.tenant(), id, StatusEntry.of(e))));
    }
}
