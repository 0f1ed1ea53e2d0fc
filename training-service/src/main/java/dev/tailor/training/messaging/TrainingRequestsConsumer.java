package dev.tailor.training.messaging;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import dev.tailor.training.api.ParamsParser;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.runner.JobController;
import dev.tailor.training.runner.JobPlanner;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.common.storage.ObjectNotFoundException;
import io.smallrye.common.annotation.Blocking;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Starts jobs from {@code training.requested} and, for datasets that asked for it, {@code dataset.cleaned}.
 * Only accepting the job happens here (a few S3 reads); training runs on the controller's executor, so the poll
 * loop never waits for it. Transient failures are retried twice; a record that still fails, or cannot be planned,
 * goes to the topic's dead-letter queue.
 */
@ApplicationScoped
public class TrainingRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(TrainingRequestsConsumer.class);

    private final JobPlanner planner;
    private final JobController controller;
    private final TrainingSettings settings;
    private final String tenant;
    private final TrainingParams autoTrainParams;

    public TrainingRequestsConsumer(JobPlanner planner, JobController controller, TrainingSettings settings,
                                    @ConfigProperty(name = "tailor.tenant", defaultValue = "default") String tenant) {
        this.planner = planner;
        this.controller = controller;
        this.settings = settings;
        this.tenant = tenant;
        // parsed once at start-up: a bad setting stops the service with the field and the allowed range
        this.autoTrainParams = settings.autoTrainParams()
                .map(ParamsParser::parseText)
                .orElseGet(TrainingParams::defaults);
    }

    @Incoming(Channels.TRAINING_REQUESTED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onTrainingRequested(String json) {
        TrainingRequested event = Json.read(json, TrainingRequested.class);
        if (!ours(event.tenant(), event.jobId())) {
            return;
        }
        TrainingParams params = event.params() == null ? TrainingParams.defaults() : event.params();
        accept(planner.plan(event.jobId(), event.datasetId(), event.datasetVersion(), event.baseModel(), params));
    }

    @Incoming(Channels.DATASET_CLEANED)
    @Blocking
    @Retry(maxRetries = 2, delay = 1, delayUnit = ChronoUnit.SECONDS,
            abortOn = {JobRejected.class, IllegalArgumentException.class, ObjectNotFoundException.class})
    public void onDatasetCleaned(String json) {
        DatasetCleaned event = Json.read(json, DatasetCleaned.class);
        if (!event.autoTrain() || !ours(event.tenant(), event.datasetId())) {
            return;
        }
        String baseModel = event.baseModel() != null && !event.baseModel().isBlank() ? event.baseModel()
                : settings.defaultBaseModel();
        accept(planner.plan(null, event.datasetId(), event.version(), baseModel, autoTrainParams));
    }

    private void accept(JobPlanner.Plan plan) {
        JobController.Submitted submitted = controller.submit(plan.spec(), plan.preflight());
        LOG.infof("job %s (model %s): %s", submitted.job().jobId(), submitted.job().modelId(),
                submitted.created() ? "accepted" : "already known, " + submitted.job().state());
    }

    private boolean ours(String eventTenant, String id) {
        if (tenant.equals(eventTenant)) {
            return true;
        }
        LOG.debugf("skipping %s of tenant %s (this service serves %s)", id, eventTenant, tenant);
        return false;
    }
}
