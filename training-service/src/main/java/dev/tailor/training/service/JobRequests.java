package dev.tailor.training.service;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.security.quota.QuotaExceeded;
import dev.tailor.security.quota.Quotas;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.JobContext;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.domain.ParamsParser;
import dev.tailor.training.storage.TrainingStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
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
    private final Quotas quotas;

    public JobRequests(JobPlanner planner, JobController controller, TrainingStore store, EventSink events,
                       TrainingSettings settings, Quotas quotas) {
        this.quotas = quotas;
        this.planner = planner;
        this.controller = controller;
        this.store = store;
        this.events = events;
        this.settings = settings;
        // parsed once at start-up: a bad setting stops the service with the field and the allowed range
        this.autoTrainParams = settings.autoTrainParams().map(ParamsParser::parseText).orElseGet(TrainingParams::defaults);
    }

    /**
     * The exact objects a REST request of {@code tenant} would submit (YAML), after the same checks and placement;
     * nothing is created.
     */
    public String render(String tenant, String datasetId, String datasetVersion, String baseModel,
                         TrainingParams params, JobContext context) {
        JobPlanner.Plan plan = planner.plan(new ObjectLayout(tenant), null, datasetId, datasetVersion, baseModel,
                params, null, context);
        return controller.render(plan.spec(), plan.preflight(), plan.placement());
    }

    /**
     * A job asked for over REST by {@code principal} of {@code tenant} (with a parent model, a sweep candidate or
     * evaluation settings in {@code context}): planned and submitted now, and announced when it is new. Over the
     * tenant's {@code tailor.quotas.training-jobs}: 429.
     */
    public JobController.Submitted create(String tenant, String principal, String datasetId, String datasetVersion,
                                          String baseModel, TrainingParams params, JobContext context) {
        JobPlanner.Plan plan = planner.plan(new ObjectLayout(tenant), null, datasetId, datasetVersion, baseModel,
                params, null, context);
        boolean known = controller.find(tenant, plan.spec().jobId()).filter(j -> !j.state().equals("SUCCEEDED")
                && !j.state().equals("FAILED") && !j.state().equals("CANCELLED")).isPresent();
        if (!known) {
            requireRoom(tenant);
        }
        return submit(tenant, principal, plan);
    }

    /**
     * 429 when the tenant has as many jobs queued or running as its {@code tailor.quotas.training-jobs} allows.
     *
     * @throws QuotaExceeded when it has
     */
    public void requireRoom(String tenant) {
        int quota = quotas.of(tenant).trainingJobs();
        if (quota > 0 && controller.activeJobs(tenant) >= quota) {
            throw new QuotaExceeded(429, "training-jobs", "tenant '" + tenant + "' has " + quota + " training jobs"
                    + " queued or running (tailor.quotas.training-jobs); wait for one to end or cancel one", 60);
        }
    }

    /**
     * A job of a sweep whose room was checked once ({@link #requireRoom}): planned and submitted without its own
     * quota check (over the quota it waits in the tenant's line), announced when new.
     */
    public JobController.Submitted submit(String tenant, String principal, String datasetId, String datasetVersion,
                                          String baseModel, TrainingParams params, JobContext context) {
        return submit(tenant, principal, planner.plan(new ObjectLayout(tenant), null, datasetId, datasetVersion,
                baseModel, params, null, context));
    }

    private JobController.Submitted submit(String tenant, String principal, JobPlanner.Plan plan) {
        JobController.Submitted submitted;
        try {
            submitted = controller.submit(plan.spec(), plan.preflight(), plan.placement(), principal);
        } catch (IllegalStateException e) {
            throw new JobRejected(JobRejected.Reason.BUSY, "Queue full", e.getMessage(), null);
        }
        if (submitted.created()) {
            TrainingRequested request = request(plan, null).withPrincipal(principal);
            events.publish(request);
            audit(request, principal, null);
        }
        return submitted;
    }

    /** A {@code training.requested} event: planned (with the split URIs it names) and submitted. */
    public JobController.Submitted accept(TrainingRequested event) {
        ObjectStore objects = store.objects();
        JobPlanner.Splits splits = event.train() == null ? null : new JobPlanner.Splits(objects.keyOf(event.train()),
                objects.keyOf(event.validation()), objects.keyOf(event.test()));
        JobPlanner.Plan plan = planner.plan(new ObjectLayout(event.tenant()), event.jobId(), event.datasetId(),
                event.datasetVersion(), event.baseModel(),
                event.params() == null ? TrainingParams.defaults() : event.params(), splits,
                new JobContext(event.parentModel(), event.sweep(), event.evaluation()));
        JobController.Submitted submitted = controller.submit(plan.spec(), plan.preflight(), plan.placement(),
                event.principal());
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
        ObjectLayout layout = new ObjectLayout(event.tenant());
        if (event.source() != null) {
            layout.owned("source", store.objects().keyOf(event.source()));
        }
        TrainingOptions options = store.trainingOptions(event.source());
        if (!options.autoTrain()) {
            return Optional.empty();
        }
        if (event.trainCount() + event.validationCount() + event.testCount() == 0) {
            LOG.infof("dataset %s version %s has no examples yet (see its report); nothing to train", event.datasetId(),
                    event.version());
            return Optional.empty();
        }
        String baseModel = options.baseModel() != null ? options.baseModel() : settings.defaultBaseModel();
        TrainingParams params = options.params() != null ? options.params() : autoTrainParams;
        ObjectStore objects = store.objects();
        JobPlanner.Plan plan = planner.plan(layout, null, event.datasetId(), event.version(), baseModel, params,
                new JobPlanner.Splits(objects.keyOf(event.train()), objects.keyOf(event.validation()),
                        objects.keyOf(event.test())), new JobContext(null, null, options.evaluation()));
        TrainingRequested request = request(plan, event).withPrincipal(event.principal());
        events.publish(request);
        audit(request, AuditEvent.service("training-service"), event.principal());
        LOG.infof("dataset %s version %s: auto-training requested as job %s", event.datasetId(), event.version(),
                request.jobId());
        return Optional.of(request);
    }

    private void audit(TrainingRequested r, String actor, String onBehalfOf) {
        events.audit(AuditEvent.of(r.tenant(), actor, onBehalfOf, AuditEvent.TRAINING_REQUESTED, "training-job",
                r.jobId(), Map.of("datasetId", r.datasetId(), "datasetVersion", String.valueOf(r.datasetVersion()),
                        "baseModel", r.baseModel())));
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
