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
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Today's worker processes next to the service: {@code tailor.training.max-concurrent-jobs} workers take jobs from a
 * queue of {@code max-queued-jobs} that is fair between tenants. A worker's stdout reports its steps; closing its stdin
 * (this service stopping) makes it checkpoint to S3 and exit, and the job resumes on the next start.
 */
@ApplicationScoped
public class LocalBackend implements TrainingBackend {
    private static final Logger LOG = Logger.getLogger(LocalBackend.class);
    private static final long CANCEL_GRACE_SECONDS = 15;

    private final FairQueue<Queued> queue;
    private final WorkerLauncher launcher;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final List<String> jvmArgs;
    private final Thread[] workers;
    private volatile boolean stopping;

    private record Queued(JobRecord job, JobEvents events) {
    }

    public LocalBackend(TrainingSettings settings, StorageSettings storage) {
        this.queue = new FairQueue<>(settings.maxQueuedJobs());
        this.jvmArgs = settings.workerJvmArgs();
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
        WorkerSpec spec = job.spec();
        String id = spec.jobId();
        events.running(id, "worker starting");
        WorkerReport[] outcome = new WorkerReport[1];
        int[] lastStep = {0};
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
                LOG.infof("job %s stopped with the service; it resumes on the next start", id);
                return;
            }
            WorkerReport last = outcome[0];
            if (last != null && last.workerState() == WorkerReport.State.CANCELLED) {
                events.finished(id, JobState.CANCELLED, "cancelled at step " + lastStep[0], false);
            } else if (exit == 0 && last != null && last.workerState() == WorkerReport.State.SUCCEEDED) {
                events.finished(id, JobState.SUCCEEDED, null, false);
            } else {
                String reason = last != null && last.message() != null && last.workerState() == WorkerReport.State.FAILED
                        ? last.message()
                        : "worker exited with code " + exit + ": " + WorkerLauncher.logTail(Path.of(spec.workDir()), 5);
                events.finished(id, JobState.FAILED, reason, false);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.errorf(e, "job %s failed", id);
            events.finished(id, JobState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        } finally {
            running.remove(id);
        }
    }
}
