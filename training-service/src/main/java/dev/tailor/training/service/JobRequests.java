package dev.tailor.training.service;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.JobContext;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.domain.ParamsParser;
import dev.tailor.training.storage.TrainingStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one path of a training job into the controller: every job is announced on {@code tailor.training.requested}
 * and the consumer of that topic submits it. Auto-training (a cleaned dataset whose upload asked for it) publishes a
 * request like any producer; the REST API plans and submits at once (it answers with the job) and announces the
 * request too, whose delivery then finds the job already known.
 */
@ApplicationScoped
public class JobRequests {
    private static final Logger LOG = Logger.getLogger(JobRequests.class);

    private final JobPlanner planner;
    private final JobController controller;
    private final TrainingStore store;
    private final EventSink events;
    private final TrainingSettings settings;
    private final TrainingParams autoTrainParams;

    public JobRequests(JobPlanner planner, JobController controller, TrainingStore store, EventSink events,
                       TrainingSettings settings) {
        this.planner = planner;
        this.controller = controller;
        this.store = store;
        this.events = events;
        this.settings = settings;
        // parsed once at start-up: a bad setting stops the service with the field and the allowed range
        this.autoTrainParams = settings.autoTrainParams().map(ParamsParser::parseText).orElseGet(TrainingParams::defaults);
    }

    /**
     * The exact objects a REST request would submit (YAML), after the same checks and placement; nothing is created.
     */
    public String render(String datasetId, String datasetVersion, String baseModel, TrainingParams params,
                         JobContext context) {
        JobPlanner.Plan plan = planner.plan(null, datasetId, datasetVersion, baseModel, params, null, context);
        return controller.render(plan.spec(), plan.preflight(), plan.placement());
    }

    /** A job asked for over REST: planned and submitted now, and announced when it is new. */
    public JobController.Submitted create(String datasetId, String datasetVersion, String baseModel,
                                          TrainingParams params) {
        return create(datasetId, datasetVersion, baseModel, params, JobContext.NONE);
    }

    /** A job with a parent model, a sweep or evaluation settings, asked for over REST. */
    public JobController.Submitted create(String datasetId, String datasetVersion, String baseModel,
                                          TrainingParams params, JobContext context) {
        JobPlanner.Plan plan = planner.plan(null, datasetId, datasetVersion, baseModel, params, null, context);
        JobController.Submitted submitted;
        try {
            submitted = controller.submit(plan.spec(), plan.preflight(), plan.placement());
        } catch (IllegalStateException e) {
            throw new JobRejected(JobRejected.Reason.BUSY, "Queue full", e.getMessage(), null);
        }
        if (submitted.created()) {
            events.publish(request(plan, null));
        }
        return submitted;
    }

    /** A {@code training.requested} event: planned (with the split URIs it names) and submitted. */
    public JobController.Submitted accept(TrainingRequested event) {
        ObjectStore objects = store.objects();
        JobPlanner.Splits splits = event.train() == null ? null : new JobPlanner.Splits(objects.keyOf(event.train()),
                objects.keyOf(event.validation()), objects.keyOf(event.test()));
        JobPlanner.Plan plan = planner.plan(event.jobId(), event.datasetId(), event.datasetVersion(), event.baseModel(),
                event.params() == null ? TrainingParams.defaults() : event.params(), splits,
                new JobContext(event.parentModel(), event.sweep(), event.evaluation()));
        JobController.Submitted submitted = controller.submit(plan.spec(), plan.preflight(), plan.placement());
        LOG.infof("job %s (model %s): %s", submitted.job().jobId(), submitted.job().modelId(),
                submitted.created() ? "accepted" : "already known, " + submitted.job().state());
        return submitted;
    }

    /**
     * A cleaned dataset: when its upload asked for auto-training (the options in its ingest manifest), the job is
     * planned (so that a request that cannot run fails here, on the dataset's event) and requested on
     * {@code training.requested}, with the split URIs of the event.
     */
    public Optional<TrainingRequested> autoTrain(DatasetCleaned event) {
        TrainingOptions options = store.trainingOptions(event.source());
        if (!options.autoTrain()) {
            return Optional.empty();
        }
        String baseModel = options.baseModel() != null ? options.baseModel() : settings.defaultBaseModel();
        TrainingParams params = options.params() != null ? options.params() : autoTrainParams;
        ObjectStore objects = store.objects();
        JobPlanner.Plan plan = planner.plan(null, event.datasetId(), event.version(), baseModel, params,
                new JobPlanner.Splits(objects.keyOf(event.train()), objects.keyOf(event.validation()),
                        objects.keyOf(event.test())), new JobContext(null, null, options.evaluation()));
        TrainingRequested request = request(plan, event);
        events.publish(request);
        LOG.infof("dataset %s version %s: auto-training requested as job %s", event.datasetId(), event.version(),
                request.jobId());
        return Optional.of(request);
    }

    private TrainingRequested request(JobPlanner.Plan plan, DatasetCleaned cleaned) {
        var s = plan.spec();
        ObjectStore objects = store.objects();
        return TrainingRequested.create(s.tenant(), s.jobId(), s.datasetId(), s.datasetVersion(), s.baseModel(),
                s.params(), cleaned != null ? cleaned.train() : objects.uri(s.trainKey()),
                cleaned != null ? cleaned.validation() : objects.uri(s.validationKey()),
                cleaned != null ? cleaned.test() : objects.uri(s.testKey()))
                .withJob(s.parentModel(), s.sweep(), s.evaluation());
    }
}
