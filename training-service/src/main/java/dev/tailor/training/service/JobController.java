package dev.tailor.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.security.quota.Quotas;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobIdentity;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.domain.Placement;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.storage.TrainingStore;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.arc.All;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Owns the jobs: accepts them, hands each to the backend its placement names, turns what the backends report into
 * job states and events (progress while they run, {@code model.trained} once the output is in S3: output first,
 * event second) and records every state in S3. A restarted controller re-adopts the jobs its backends still run and
 * resumes the other unfinished ones from their last checkpoint, so nothing is lost or run twice.
 * <p>Every job belongs to one tenant (its spec's): lookups, lists and cancellations are per tenant, and another
 * tenant's jobs are not found. A tenant has at most {@code tailor.quotas.training-jobs} jobs with the backends at
 * once; the rest wait in the tenant's own line (so that one tenant cannot fill the backends for everyone).
 */
@ApplicationScoped
public class JobController implements JobEvents {
    private static final Logger LOG = Logger.getLogger(JobController.class);

    private final TrainingStore store;
    private final EventSink events;
    private final MeterRegistry meters;
    private final Map<BackendKind, TrainingBackend> backends = new EnumMap<>(BackendKind.class);
    private final Map<String, Job> byJobId = new ConcurrentHashMap<>();
    private final Map<String, Job> byModelId = new ConcurrentHashMap<>();
    private final boolean resumeOnStartup;
    private final int keepCheckpoints;
    private volatile boolean shuttingDown;
    private final Quotas quotas;
    /** Per tenant: jobs over its quota, waiting for one of its jobs with the backends to end. */
    private final Map<String, Deque<Job>> waiting = new HashMap<>();

    public JobController(dev.tailor.training.config.TrainingSettings settings, TrainingStore store, EventSink events,
                         MeterRegistry meters, Quotas quotas, @All List<TrainingBackend> available) {
        this.store = store;
        this.quotas = quotas;
        this.events = events;
        this.meters = meters;
        this.resumeOnStartup = settings.resumeOnStartup();
        this.keepCheckpoints = settings.keepCheckpoints();
        if (keepCheckpoints < 0) {
            throw new IllegalArgumentException("tailor.training.keep-checkpoints must be 0 or more (0 deletes a"
                    + " finished job's intermediate checkpoints), was " + keepCheckpoints);
        }
        available.forEach(b -> backends.put(b.kind(), b));
    }

    /** Result of a submission: the job, and whether this call created it. */
    public record Submitted(JobView job, boolean created) {
    }

    /** The backends this platform offers. */
    public Set<BackendKind> offered() {
        return backends.values().stream().filter(TrainingBackend::enabled).map(TrainingBackend::kind)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Accepts a job unless the same job is already known: a running or queued job is returned as it is, a finished
     * output is only announced again.
     *
     * @param principal who the job is for (the caller, or whoever caused it), or null
     * @throws IllegalStateException when its backend cannot take it now (queue full)
     */
    public synchronized Submitted submit(WorkerSpec spec, Preflight preflight, Placement placement,
                                         String principal) {
        spec = principal == null || principal.equals(spec.principal()) ? spec : spec.withPrincipal(principal);
        Job existing = byModelId.get(spec.modelId());
        if (existing != null && !existing.state.terminal()) {
            byJobId.putIfAbsent(spec.jobId(), existing); // a caller-chosen id for the same work finds it too
            return new Submitted(view(existing), false);
        }
        if (store.outputComplete(new ObjectLayout(spec.tenant()), spec.modelId())) {
            Job done = new Job(spec, preflight, placement, JobState.SUCCEEDED, Instant.now());
            done.message = "output already in S3; model.trained published again";
            register(done);
            publishTrained(done);
            return new Submitted(view(done), false);
        }
        Job job = new Job(spec, preflight, placement, JobState.QUEUED, Instant.now());
        job.message = backendOf(job).kind() == BackendKind.LOCAL ? "waiting for a free worker slot"
                : "submitted to " + backendOf(job).kind().id();
        TrainingBackend backend = backendOf(job);
        if (backend.kind() == BackendKind.LOCAL && !backend.enabled()) {
            throw new IllegalStateException("local workers are off");
        }
        register(job);
        int quota = quotas.of(spec.tenant()).trainingJobs();
        if (quota > 0 && withBackends(spec.tenant()) > quota) {
            job.message = "waiting: tenant '" + spec.tenant() + "' has " + quota + " jobs running or queued"
                    + " (tailor.quotas.training-jobs)";
            waiting.computeIfAbsent(spec.tenant(), t -> new ArrayDeque<>()).add(job);
            persist(job);
            publishProgress(job, JobState.QUEUED, null);
            return new Submitted(view(job), true);
        }
        persist(job);
        publishProgress(job, JobState.QUEUED, null);
        dispatch(job);
        return new Submitted(view(job), true);
    }

    private void dispatch(Job job) {
        TrainingBackend backend = backendOf(job);
        try {
            backend.submit(job.record(), this);
        } catch (RuntimeException e) {
            finish(job, JobState.FAILED, "not submitted to " + backend.kind().id() + ": " + e.getMessage());
            throw e instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("submitting to " + backend.kind().id() + " failed: " + e.getMessage(), e);
        }
    }

    /** Unfinished jobs of {@code tenant} handed to the backends (queued there or running), this one included. */
    private int withBackends(String tenant) {
        Deque<Job> line = waiting.getOrDefault(tenant, new ArrayDeque<>());
        return (int) byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant) && !j.state.terminal()
                && !line.contains(j)).count();
    }

    /** Unfinished jobs of {@code tenant}, running, queued or waiting: what its training-jobs quota counts. */
    public synchronized int activeJobs(String tenant) {
        return (int) byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant) && !j.state.terminal())
                .count();
    }

    /** Hands the tenant's next waiting jobs to their backends, now that one of its jobs ended. */
    private synchronized void dispatchWaiting(String tenant) {
        Deque<Job> line = waiting.get(tenant);
        if (line == null || shuttingDown) {
            return;
        }
        line.removeIf(j -> j.state.terminal());
        int quota = quotas.of(tenant).trainingJobs();
        while (!line.isEmpty() && (quota <= 0 || withBackends(tenant) < quota)) {
            Job next = line.poll();
            next.message = backendOf(next).kind() == BackendKind.LOCAL ? "waiting for a free worker slot"
                    : "submitted to " + backendOf(next).kind().id();
            try {
                dispatch(next);
            } catch (IllegalStateException e) {
                LOG.warnf("job %s: %s", next.spec.jobId(), e.getMessage());
            }
        }
    }

    /** The objects the job's backend would create for it (YAML), without submitting anything. */
    public String render(WorkerSpec spec, Preflight preflight, Placement placement) {
        Job job = new Job(spec, preflight, placement, JobState.QUEUED, Instant.now());
        return backendOf(job).render(job.record());
    }

    /**
     * A job of {@code tenant} known to this controller, or one recorded in S3 by an earlier run (ids derived here
     * only). Another tenant's job is not found.
     */
    public Optional<JobView> find(String tenant, String jobId) {
        Job job = byJobId.get(jobId);
        if (job != null) {
            return job.spec.tenant().equals(tenant) ? Optional.of(view(job)) : Optional.empty();
        }
        ObjectLayout layout = new ObjectLayout(tenant);
        return JobIdentity.modelIdOf(jobId).flatMap(m -> store.job(layout, m)).map(r -> view(Job.of(r)));
    }

    /** The tenant's jobs: those recorded in S3 (durable, across restarts), with the live state of those known here. */
    public List<JobView> list(String tenant) {
        Map<String, JobView> out = new LinkedHashMap<>();
        for (JobRecord r : store.jobs(new ObjectLayout(tenant))) {
            out.put(r.spec().modelId(), view(Job.of(r)));
        }
        byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant))
                .forEach(j -> out.put(j.spec.modelId(), view(j)));
        return out.values().stream().sorted(Comparator.comparing(JobView::createdAt).reversed()).toList();
    }

    /** Cancels a queued or running job of the tenant (audited as done by {@code principal}); a finished one is returned unchanged. */
    public Optional<JobView> cancel(String tenant, String jobId, String principal) {
        Job job = byJobId.get(jobId);
        if (job == null || !job.spec.tenant().equals(tenant)) {
            return Optional.empty();
        }
        boolean waited;
        synchronized (job) {
            if (job.state.terminal()) {
                return Optional.of(view(job));
            }
            job.cancelRequested = true;
        }
        events.audit(AuditEvent.of(tenant, principal, null, AuditEvent.TRAINING_CANCELLED, "training-job", jobId,
                Map.of("modelId", job.spec.modelId(), "datasetId", job.spec.datasetId())));
        synchronized (this) {
            Deque<Job> line = waiting.get(tenant);
            waited = line != null && line.remove(job);
        }
        if (waited) {
            finish(job, JobState.CANCELLED, "cancelled before it started");
        } else {
            backendOf(job).cancel(job.record());
        }
        return Optional.of(view(job));
    }

    /**
     * A dataset was erased: jobs of the tenant on it are cancelled, and the backends delete what they keep of them
     * locally (downloaded splits, checkpoints, worker logs). Their outputs in S3 stay: a trained model is for the
     * operator to retire.
     */
    public void erase(String tenant, String datasetId) {
        List<Job> onIt = byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant)
                && j.spec.datasetId().equals(datasetId)).toList();
        for (Job job : onIt) {
            cancel(tenant, job.spec.jobId(), AuditEvent.service("training-service"));
        }
        List<JobRecord> records = new ArrayList<>(onIt.stream().map(Job::record).toList());
        store.jobs(new ObjectLayout(tenant)).stream().filter(r -> r.spec().datasetId().equals(datasetId))
                .forEach(records::add);
        for (TrainingBackend backend : backends.values()) {
            records.forEach(backend::erase);
        }
        LOG.infof("dataset %s of %s erased: %d jobs cancelled, local copies of %d jobs deleted", datasetId, tenant,
                onIt.size(), records.size());
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    /** Re-adopts what the backends still run, then resumes the other unfinished jobs recorded in S3. */
    public synchronized void start() {
        Map<String, JobRecord> unfinished = new LinkedHashMap<>();
        try {
            for (JobRecord r : store.unfinishedJobs()) {
                if (!r.jobState().terminal()) {
                    unfinished.put(r.spec().jobId(), r);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not look for unfinished jobs: %s", e.getMessage());
            return;
        }
        for (TrainingBackend backend : backends.values()) {
            if (!backend.enabled()) {
                continue;
            }
            // register the backend's recorded jobs first: its reports may arrive while it adopts them
            unfinished.values().stream().filter(r -> r.backend() == backend.kind())
                    .forEach(r -> register(Job.of(r)));
            List<String> adopted = backend.adopt(this);
            for (String jobId : adopted) {
                JobRecord r = unfinished.remove(jobId);
                if (r != null) {
                    LOG.infof("job %s (%s) re-adopted from %s", jobId, r.spec().modelId(), backend.kind().id());
                } else {
                    LOG.warnf("%s runs job %s, which has no record in S3; it is left alone", backend.kind().id(),
                            jobId);
                }
            }
            unfinished.values().stream().filter(r -> r.backend() == backend.kind()).forEach(r -> {
                byJobId.remove(r.spec().jobId());
                byModelId.remove(r.spec().modelId());
            });
        }
        if (!resumeOnStartup) {
            return;
        }
        for (JobRecord r : unfinished.values()) {
            if (byModelId.containsKey(r.spec().modelId())) {
                continue;
            }
            if (!backends.containsKey(r.backend()) || !backends.get(r.backend()).enabled()) {
                LOG.warnf("job %s was placed on %s, which this service does not offer now; it stays %s",
                        r.spec().jobId(), r.backend().id(), r.state());
                continue;
            }
            LOG.infof("resuming job %s (%s of %s) from its last checkpoint", r.spec().jobId(), r.spec().modelId(),
                    r.spec().tenant());
            try {
                submit(r.spec(), r.preflight(), r.placement(), r.spec().principal());
            } catch (RuntimeException e) {
                LOG.warnf("job %s could not be resumed: %s", r.spec().jobId(), e.getMessage());
            }
        }
    }

    /** Local workers checkpoint and stop (their jobs stay RUNNING in S3 and resume); cluster jobs go on. */
    void onStop(@Observes ShutdownEvent event) {
        shuttingDown = true;
        backends.values().forEach(TrainingBackend::shutdown);
    }

    // --- reports from the backends

    @Override
    public void queued(String jobId, String message) {
        transition(jobId, JobState.QUEUED, message);
    }

    @Override
    public void running(String jobId, String message) {
        transition(jobId, JobState.RUNNING, message);
    }

    private void transition(String jobId, JobState state, String message) {
        Job job = byJobId.get(jobId);
        if (job == null || shuttingDown) {
            return;
        }
        synchronized (job) {
            if (job.state.terminal() || (job.state == state && java.util.Objects.equals(job.message, message))) {
                return;
            }
            job.update(state, message);
        }
        persist(job);
        publishProgress(job, state, job.last);
    }

    @Override
    public void retrying(String jobId, int retry, int maxRetries, String reason) {
        Job job = byJobId.get(jobId);
        if (job == null || shuttingDown) {
            return;
        }
        synchronized (job) {
            if (job.state.terminal()) {
                return;
            }
            job.retries = retry;
            job.lastFailure = reason;
            job.update(JobState.RUNNING, reason + "; retry " + retry + " of " + maxRetries
                    + " resumes from the last checkpoint in S3");
        }
        LOG.warnf("job %s: %s", jobId, job.message);
        meters.counter("tailor.training.retries").increment();
        persist(job);
        publishProgress(job, JobState.RUNNING, job.last);
    }

    @Override
    public void progress(String jobId, WorkerReport report) {
        Job job = byJobId.get(jobId);
        if (job == null || report.workerState() != WorkerReport.State.RUNNING) {
            return;
        }
        if (report.step() > 0) {
            job.last = report;
        }
        meters.counter("tailor.training.steps").increment();
        job.update(JobState.RUNNING, report.message());
        if (backendOf(job).kind() != BackendKind.KUBERNETES) {
            publishProgress(job, JobState.RUNNING, report); // Kubernetes workers publish their own
        }
    }

    @Override
    public void finished(String jobId, JobState state, String message, boolean trainedAnnounced) {
        Job job = byJobId.get(jobId);
        if (job == null || shuttingDown) {
            return;
        }
        if (job.cancelRequested && state != JobState.SUCCEEDED) {
            finish(job, JobState.CANCELLED, "cancelled at step " + (job.last == null ? 0 : job.last.step()));
            return;
        }
        if (state == JobState.SUCCEEDED) {
            if (!store.outputComplete(new ObjectLayout(job.spec.tenant()), job.spec.modelId())) {
                finish(job, JobState.FAILED, "the worker ended but its output is not complete in "
                        + adapterUri(job) + " (no manifest.json)");
                return;
            }
            try {
                if (!trainedAnnounced) {
                    publishTrained(job);
                } else {
                    auditTrained(job); // the worker announced it (cluster backends); the audit trail is ours
                }
            } catch (RuntimeException e) {
                finish(job, JobState.FAILED, "model.trained not published: " + e.getMessage());
                return;
            }
            pruneCheckpoints(job);
            finish(job, JobState.SUCCEEDED, message != null ? message : "adapter written to " + adapterUri(job));
            return;
        }
        finish(job, state, message);
    }

    /** The final model is stored: intermediate checkpoints beyond tailor.training.keep-checkpoints go. */
    private void pruneCheckpoints(Job job) {
        try {
            int deleted = store.pruneCheckpoints(new ObjectLayout(job.spec.tenant()), job.spec.modelId(),
                    keepCheckpoints);
            if (deleted > 0) {
                LOG.infof("job %s: %d intermediate checkpoint(s) deleted (tailor.training.keep-checkpoints=%d)",
                        job.spec.jobId(), deleted, keepCheckpoints);
            }
        } catch (RuntimeException e) { // the model is complete: a leftover checkpoint is no reason to fail the job
            LOG.warnf("job %s: intermediate checkpoints not deleted: %s", job.spec.jobId(), e.getMessage());
        }
    }

    private void finish(Job job, JobState state, String message) {
        synchronized (job) {
            if (job.state.terminal()) {
                return;
            }
            job.update(state, message);
            if (state == JobState.FAILED) {
                job.lastFailure = message;
            }
        }
        LOG.infof("job %s %s: %s", job.spec.jobId(), state, message);
        meters.counter("tailor.training.jobs", "state", state.name()).increment();
        persist(job);
        publishProgress(job, state, job.last);
        dispatchWaiting(job.spec.tenant());
    }

    private void publishProgress(Job job, JobState state, WorkerReport r) {
        int totalSteps = r != null ? r.totalSteps() : job.preflight == null ? 0 : job.preflight.totalSteps();
        try {
            WorkerSpec s = job.spec;
            events.publish(TrainingProgress.create(s.tenant(), new TrainingProgress.Job(s.jobId(), s.datasetId(),
                    s.datasetVersion(), s.modelId()), state.name(),
                    r == null ? 0 : r.step(), totalSteps, r == null ? 0 : r.epoch(), r == null ? null : r.loss(),
                    r == null ? null : r.validationLoss(), r == null ? null : r.learningRate(),
                    r == null ? null : r.tokensPerSecond(), r == null ? null : r.etaSeconds(), job.message));
        } catch (RuntimeException e) {
            LOG.warnf("job %s: progress event not sent: %s", job.spec.jobId(), e.getMessage());
        }
    }

    private void publishTrained(Job job) {
        WorkerSpec s = job.spec;
        JsonNode summary = store.trainingSummary(new ObjectLayout(s.tenant()), s.modelId()).orElse(null);
        events.publish(ModelTrained.create(s.tenant(), s.modelId(), s.jobId(), s.datasetId(),
                s.datasetVersion(), s.baseModel(), adapterUri(job), store.objects().uri(s.testKey()),
                number(summary, "trainLoss"), number(summary, "validationLoss"))
                .withJob(s.parentModel(), s.sweep(), s.evaluation()).withPrincipal(s.principal()));
        auditTrained(job);
    }

    private void auditTrained(Job job) {
        WorkerSpec s = job.spec;
        events.audit(AuditEvent.of(s.tenant(), AuditEvent.service("training-service"), s.principal(),
                AuditEvent.MODEL_TRAINED, "model", s.modelId(), Map.of("jobId", s.jobId(), "datasetId",
                        s.datasetId(), "datasetVersion", s.datasetVersion(), "baseModel", s.baseModel())));
    }

    private static Double number(JsonNode summary, String field) {
        if (summary == null || !summary.path(field).isNumber()) {
            return null;
        }
        double v = summary.path(field).asDouble();
        return Double.isFinite(v) && v >= 0 ? v : null;
    }

    private void persist(Job job) {
        try {
            store.putJob(job.record());
        } catch (RuntimeException e) {
            LOG.warnf("job %s: record not written to S3: %s", job.spec.jobId(), e.getMessage());
        }
    }

    private void register(Job job) {
        byJobId.put(job.spec.jobId(), job);
        byModelId.put(job.spec.modelId(), job);
    }

    private TrainingBackend backendOf(Job job) {
        BackendKind kind = job.placement == null ? BackendKind.LOCAL : job.placement.backend();
        TrainingBackend backend = backends.get(kind);
        if (backend == null) {
            throw new IllegalStateException("no " + kind.id() + " backend in this service");
        }
        return backend;
    }

    private String adapterUri(Job job) {
        return store.objects().uri(job.spec.outputPrefix());
    }

    private JobView view(Job job) {
        return job.view(adapterUri(job));
    }
}
