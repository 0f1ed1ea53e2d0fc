package dev.tailor.training.local;

import dev.tailor.common.json.Json;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import dev.tailor.common.storage.StorageSettings;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.service.JobEvents;
import dev.tailor.training.service.TrainingBackend;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Today's worker processes next to the service: {@code tailor.training.max-concurrent-jobs} workers take jobs from a
 * queue of {@code max-queued-jobs} that is fair between tenants. A worker's stdout reports its steps; closing its stdin
 * (this service stopping) makes it checkpoint to S3 and exit, and the job resumes on the next start. A worker that
 * dies without a result ({@link WorkerExit}: killed, out of memory) is replaced up to {@code max-retries} times, each
 * new one resuming from the last checkpoint in S3.
 */
@ApplicationScoped
public class LocalBackend implements TrainingBackend {
    private static final Logger LOG = Logger.getLogger(LocalBackend.class);
    private static final long CANCEL_GRACE_SECONDS = 15;

    private final FairQueue<Queued> queue;
    private final WorkerLauncher launcher;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    /** Jobs asked to stop while between two workers. */
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final int maxRetries;
    private final List<String> jvmArgs;
    private final Thread[] workers;
    private volatile boolean stopping;

    private record Queued(JobRecord job, JobEvents events) {
    }

    public LocalBackend(TrainingSettings settings, StorageSettings storage) {
        this.queue = new FairQueue<>(settings.maxQueuedJobs());
        this.jvmArgs = settings.workerJvmArgs();
        this.maxRetries = settings.maxRetries();
        if (maxRetries < 0) {
            throw new IllegalArgumentException("tailor.training.max-retries must be 0 or more, not " + maxRetries);
        }
        this.launcher = new WorkerLauncher(
                () -> WorkerDistribution.classpath(settings.workerClasspath(), settings.workerDir()),
                settings.workerJvmArgs(), storage.accessKey(), storage.secretKey());
        this.workers = new Thread[settings.maxConcurrentJobs()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Thread(this::work, "training-worker-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    @Override
    public BackendKind kind() {
        return BackendKind.LOCAL;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void submit(JobRecord job, JobEvents events) {
        if (!queue.offer(job.spec().tenant(), new Queued(job, events))) {
            throw new IllegalStateException("the training queue is full (" + queue.size() + " jobs waiting); retry"
                    + " later");
        }
    }

    @Override
    public void cancel(JobRecord job) {
        String id = job.spec().jobId();
        List<Queued> removed = new java.util.ArrayList<>();
        queue.remove(q -> {
            boolean match = q.job().spec().jobId().equals(id);
            if (match) {
                removed.add(q);
            }
            return match;
        });
        if (!removed.isEmpty()) {
            removed.get(0).events().finished(id, JobState.CANCELLED, "cancelled before it started", false);
            return;
        }
        cancelled.add(id);
        Process p = running.get(id);
        if (p != null) {
            WorkerLauncher.cancel(p, CANCEL_GRACE_SECONDS);
        }
    }

    @Override
    public List<String> adopt(JobEvents events) {
        return List.of(); // local workers never outlive the service
    }

    /** The command and spec the worker would get. */
    @Override
    public String render(JobRecord job) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("backend", "local");
        doc.put("command", List.of("java", String.join(" ", jvmArgs), "-cp", "<training-worker distribution>",
                WorkerLauncher.WORKER_CLASS, Path.of(job.spec().workDir(), "spec.json").toString()));
        doc.put("spec", job.spec());
        return new KubernetesSerialization().asYaml(Json.mapper().valueToTree(doc));
    }

    /** Deletes the job's local folder (spec, downloaded base model and splits, checkpoints, log). */
    @Override
    public void erase(JobRecord job) {
        WorkerLauncher.deleteWorkDir(Path.of(job.spec().workDir()));
    }

    @Override
    public void shutdown() {
        stopping = true;
        queue.close();
        running.values().forEach(p -> WorkerLauncher.stop(p, CANCEL_GRACE_SECONDS));
    }

    private void work() {
        while (!stopping) {
            Queued next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == null) {
                return;
            }
            run(next.job(), next.events());
        }
    }

    private void run(JobRecord job, JobEvents events) {
        String id = job.spec().jobId();
        try {
            int retries = job.retries();
            while (true) {
                int[] lastStep = {0};
                WorkerExit exit = attempt(job.spec(), events, retries, lastStep);
                if (exit == null) {
                    LOG.infof("job %s stopped with the service; it resumes on the next start", id);
                    return;
                }
                String reason = exit.reason() == null || lastStep[0] == 0 ? exit.reason()
                        : exit.reason() + ", at step " + lastStep[0];
                if (exit.retryable() && retries < maxRetries && !cancelled.contains(id) && !stopping) {
                    retries++;
                    events.retrying(id, retries, maxRetries, reason);
                    continue;
                }
                if (exit.state() == JobState.CANCELLED
                        || cancelled.contains(id) && exit.state() != JobState.SUCCEEDED) {
                    events.finished(id, JobState.CANCELLED, "cancelled at step " + lastStep[0], false);
                    return;
                }
                if (exit.retryable()) {
                    reason += "; no retries left (" + (retries + 1) + " attempts, tailor.training.max-retries="
                            + maxRetries + ")";
                }
                events.finished(id, exit.state(), reason, false);
                return;
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf(e, "job %s failed", id);
            events.finished(id, JobState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        } finally {
            cancelled.remove(id);
        }
    }

    /** One worker for the job, to its end; null when it stopped because this service is stopping. */
    private WorkerExit attempt(WorkerSpec spec, JobEvents events, int retries, int[] lastStep) throws Exception {
        String id = spec.jobId();
        events.running(id, retries == 0 ? "worker starting"
                : "worker starting (attempt " + (retries + 1) + " of " + (maxRetries + 1) + ")");
        WorkerReport[] outcome = new WorkerReport[1];
        try {
            int exit = launcher.run(spec, p -> running.put(id, p), r -> {
                if (r.workerState() == WorkerReport.State.RUNNING) {
                    lastStep[0] = Math.max(lastStep[0], r.step());
                    events.progress(id, r);
                } else {
                    outcome[0] = r;
                }
            });
            if (stopping) {
                return null;
            }
            WorkerExit result = WorkerExit.of(exit, outcome[0], WorkerLauncher.logTail(Path.of(spec.workDir()), 5));
            if (result.state() == JobState.FAILED) {
                LOG.warnf("job %s: %s (%s)", id, result.reason(), result.retryable() ? "retryable" : "not retried");
            }
            return result;
        } finally {
            running.remove(id);
        }
    }
}
