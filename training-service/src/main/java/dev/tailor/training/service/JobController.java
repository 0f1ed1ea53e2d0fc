package dev.tailor.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.StorageSettings;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.JobIdentity;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import dev.tailor.training.storage.TrainingStore;
import dev.tailor.security.quota.Quotas;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs accepted jobs on a bounded executor, one worker process per job, and turns what the workers report into
 * events: progress while they run, {@code model.trained} once the output is in S3 (output first, event second).
 * Jobs are recorded in S3, so a restarted controller resumes unfinished ones from their last checkpoint.
 * <p>Jobs of every tenant share the executor; a tenant has at most {@code tailor.quotas.training-jobs} of them on it
 * at once, the rest wait in the tenant's own line (so one tenant cannot fill the queue for everyone).
 */
@ApplicationScoped
public class JobController {
    private static final Logger LOG = Logger.getLogger(JobController.class);
    private static final long CANCEL_GRACE_SECONDS = 15;

    private final TrainingSettings settings;
    private final TrainingStore store;
    private final EventSink events;
    private final Map<String, Job> byJobId = new ConcurrentHashMap<>();
    private final Map<String, Job> byModelId = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;
    private final WorkerLauncher launcher;
    private volatile boolean shuttingDown;
    private final MeterRegistry meters;
    private final Quotas quotas;
    /** Per tenant: jobs over its quota, waiting for one of its jobs on the executor to end. */
    private final Map<String, Deque<Job>> waiting = new HashMap<>();

    public JobController(TrainingSettings settings, TrainingStore store, EventSink events,
                         StorageSettings storage, MeterRegistry meters, Quotas quotas) {
        this.meters = meters;
        this.quotas = quotas;
        this.settings = settings;
        this.store = store;
        this.events = events;
        this.launcher = new WorkerLauncher(
                () -> WorkerDistribution.classpath(settings.workerClasspath(), settings.workerDir()),
                settings.workerJvmArgs(), storage.accessKey(), storage.secretKey());
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.maxConcurrentJobs(), settings.maxConcurrentJobs(), 0,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.maxQueuedJobs()), r -> {
                    Thread t = new Thread(r, "training-job-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Result of a submission: the job, and whether this call created it. */
    public record Submitted(JobView job, boolean created) {
    }

    /**
     * Accepts a job unless the same job is already known: a running or queued job is returned as it is, a finished
     * output is only announced again.
     */
    public synchronized Submitted submit(WorkerSpec spec, Preflight preflight, String principal) {
        Job existing = byModelId.get(spec.modelId());
        if (existing != null && !existing.state.terminal()) {
            byJobId.putIfAbsent(spec.jobId(), existing); // a caller-chosen id for the same work finds it too
            return new Submitted(view(existing), false);
        }
        if (store.outputComplete(new ObjectLayout(spec.tenant()), spec.modelId())) {
            Job done = new Job(spec, preflight, JobState.SUCCEEDED, Instant.now(), principal);
            done.message = "output already in S3; model.trained published again";
            register(done);
            publishTrained(done);
            return new Submitted(view(done), false);
        }
        if (executor.getQueue().remainingCapacity() == 0) {
            throw new IllegalStateException("the training queue is full (" + settings.maxQueuedJobs()
                    + " jobs waiting); retry later");
        }
        Job job = new Job(spec, preflight, JobState.QUEUED, Instant.now(), principal);
        job.message = "waiting for a free worker slot";
        register(job);
        persist(job);
        publishProgress(job, JobState.QUEUED, null);
        int quota = quotas.of(spec.tenant()).trainingJobs();
        if (quota > 0 && onExecutor(spec.tenant()) > quota) {
            job.message = "waiting: tenant '" + spec.tenant() + "' has " + quota + " jobs running or queued"
                    + " (tailor.quotas.training-jobs)";
            waiting.computeIfAbsent(spec.tenant(), t -> new ArrayDeque<>()).add(job);
            return new Submitted(view(job), true);
        }
        dispatch(job);
        return new Submitted(view(job), true);
    }

    private void dispatch(Job job) {
        try {
            executor.execute(() -> run(job));
        } catch (RejectedExecutionException e) {
            finish(job, JobState.FAILED, "the training queue is full; resubmit later");
            throw new IllegalStateException("the training queue is full (" + settings.maxQueuedJobs()
                    + " jobs waiting); retry later", e);
        }
    }

    /** Unfinished jobs of {@code tenant} on the executor (queued there or running), this one included. */
    private int onExecutor(String tenant) {
        Deque<Job> line = waiting.getOrDefault(tenant, new ArrayDeque<>());
        return (int) byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant) && !j.state.terminal()
                && !line.contains(j)).count();
    }

    /** Unfinished jobs of {@code tenant}, running, queued or waiting: what its training-jobs quota counts. */
    public synchronized int activeJobs(String tenant) {
        return (int) byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant) && !j.state.terminal())
                .count();
    }

    /** Hands the next waiting job of the tenant to the executor, now that one of its jobs ended. */
    private synchronized void dispatchWaiting(String tenant) {
        Deque<Job> line = waiting.get(tenant);
        if (line == null) {
            return;
        }
        line.removeIf(j -> j.state.terminal());
        int quota = quotas.of(tenant).trainingJobs();
        while (!line.isEmpty() && (quota <= 0 || onExecutor(tenant) < quota)) {
            Job next = line.poll();
            next.message = "waiting for a free worker slot";
            dispatch(next);
        }
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
        return JobIdentity.modelIdOf(jobId).flatMap(m -> store.job(layout, m)).map(r -> {
            Job stored = new Job(r.spec(), r.preflight(), r.jobState(), r.createdAt(), r.principal());
            stored.message = r.message();
            return view(stored);
        });
    }

    /** The tenant's jobs known since this controller started, newest first. */
    public List<JobView> list(String tenant) {
        return byJobId.values().stream().filter(j -> j.spec.tenant().equals(tenant)).distinct()
                .sorted(Comparator.comparing((Job j) -> j.createdAt).reversed()).map(this::view).toList();
    }

    /** Cancels a queued or running job of the tenant; a finished job is returned unchanged. */
    public Optional<JobView> cancel(String tenant, String jobId, String principal) {
        Job job = byJobId.get(jobId);
        if (job == null || !job.spec.tenant().equals(tenant)) {
            return Optional.empty();
        }
        if (!job.state.terminal()) {
            events.audit(AuditEvent.of(tenant, principal, null, AuditEvent.TRAINING_CANCELLED, "training-job", jobId,
                    Map.of("modelId", job.spec.modelId(), "datasetId", job.spec.datasetId())));
        }
        synchronized (job) {
            if (job.state.terminal()) {
                return Optional.of(view(job));
            }
            job.cancelRequested = true;
            if (job.state == JobState.QUEUED) {
                finish(job, JobState.CANCELLED, "cancelled before it started");
                return Optional.of(view(job));
            }
        }
        WorkerLauncher.cancel(job.process, CANCEL_GRACE_SECONDS);
        return Optional.of(view(job));
    }

    void onStart(@Observes StartupEvent event) {
        if (!settings.resumeOnStartup()) {
            return;
        }
        try {
            for (JobRecord record : store.unfinishedJobs()) {
                if (!record.jobState().terminal() && !byModelId.containsKey(record.spec().modelId())) {
                    LOG.infof("resuming job %s (%s of %s) from its last checkpoint", record.spec().jobId(),
                            record.spec().modelId(), record.spec().tenant());
                    submit(record.spec(), record.preflight(), record.principal());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not look for unfinished jobs to resume: %s", e.getMessage());
        }
    }

    /**
     * Running workers are told to stop (their stdin closes: they save a checkpoint and exit); their jobs stay
     * RUNNING in S3, so the next start resumes them.
     */
    void onStop(@Observes ShutdownEvent event) {
        shuttingDown = true;
        executor.shutdownNow();
        byJobId.values().forEach(job -> WorkerLauncher.stop(job.process, CANCEL_GRACE_SECONDS));
    }

    private void run(Job job) {
        synchronized (job) {
            if (job.cancelRequested || job.state.terminal()) {
                return;
            }
            job.update(JobState.RUNNING, "worker starting");
        }
        persist(job);
        publishProgress(job, JobState.RUNNING, null);
        try {
            int exit = launcher.run(job, report -> onReport(job, report));
            WorkerReport last = job.outcome;
            if (shuttingDown && !job.cancelRequested) {
                LOG.infof("job %s stopped with the service; it resumes on the next start", job.spec.jobId());
            } else if (job.cancelRequested) {
                finish(job, JobState.CANCELLED, "cancelled at step " + (job.last == null ? 0 : job.last.step()));
            } else if (exit == 0 && last != null && state(last) == JobState.SUCCEEDED
                    && store.outputComplete(new ObjectLayout(job.spec.tenant()), job.spec.modelId())) {
                publishTrained(job);
                finish(job, JobState.SUCCEEDED, "adapter written to " + adapterUri(job));
            } else {
                String reason = last != null && last.message() != null && state(last) == JobState.FAILED
                        ? last.message()
                        : "worker exited with code " + exit + ": "
                        + WorkerLauncher.logTail(Path.of(job.spec.workDir()), 5);
                finish(job, JobState.FAILED, reason);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf(e, "job %s failed", job.spec.jobId());
            finish(job, JobState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The job state a worker's report stands for (the worker reports states of the same names). */
    private static JobState state(WorkerReport report) {
        return JobState.valueOf(report.state());
    }

    private void onReport(Job job, WorkerReport report) {
        if (state(report).terminal()) {
            job.outcome = report;
        }
        if (report.step() > 0) {
            job.last = report;
        }
        if (state(report) == JobState.RUNNING) {
            meters.counter("tailor.training.steps").increment();
            job.update(JobState.RUNNING, report.message());
            publishProgress(job, JobState.RUNNING, report);
        }
    }

    private void finish(Job job, JobState state, String message) {
        synchronized (job) {
            if (job.state.terminal()) {
                return;
            }
            job.update(state, message);
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
                number(summary, "trainLoss"), number(summary, "validationLoss")).withPrincipal(job.principal));
        events.audit(AuditEvent.of(s.tenant(), AuditEvent.service("training-service"), job.principal,
                AuditEvent.MODEL_TRAINED, "model", s.modelId(), Map.of("jobId", s.jobId(), "datasetId",
                        s.datasetId(), "datasetVersion", s.datasetVersion(), "baseModel", s.baseModel())));
    }

    /**
     * A dataset was erased: jobs of the tenant on it are cancelled, and their local folders (downloaded splits,
     * checkpoints, worker logs) deleted. Their outputs in S3 stay: a trained model is for the operator to retire.
     */
    public void erase(String tenant, String datasetId) {
        List<Job> onIt;
        synchronized (this) {
            onIt = byModelId.values().stream().filter(j -> j.spec.tenant().equals(tenant)
                    && j.spec.datasetId().equals(datasetId)).toList();
        }
        for (Job job : onIt) {
            cancel(tenant, job.spec.jobId(), AuditEvent.service("training-service"));
        }
        List<String> dirs = new java.util.ArrayList<>(onIt.stream().map(j -> j.spec.workDir()).toList());
        store.jobs(new ObjectLayout(tenant)).stream().filter(r -> r.spec().datasetId().equals(datasetId))
                .map(r -> r.spec().workDir()).forEach(dirs::add);
        for (String dir : dirs.stream().distinct().toList()) {
            WorkerLauncher.deleteWorkDir(Path.of(dir));
        }
        LOG.infof("dataset %s of %s erased: %d jobs cancelled, %d local job folders deleted", datasetId, tenant,
                onIt.stream().filter(j -> !j.state.terminal()).count(), dirs.stream().distinct().count());
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
            store.putJob(new JobRecord(job.spec, job.state.name(), job.message, job.preflight, job.createdAt,
                    job.updatedAt, job.principal));
        } catch (RuntimeException e) {
            LOG.warnf("job %s: record not written to S3: %s", job.spec.jobId(), e.getMessage());
        }
    }

    private void register(Job job) {
        byJobId.put(job.spec.jobId(), job);
        byModelId.put(job.spec.modelId(), job);
    }

    private String adapterUri(Job job) {
        return store.objects().uri(job.spec.outputPrefix());
    }

    private JobView view(Job job) {
        return job.view(adapterUri(job));
    }
}
