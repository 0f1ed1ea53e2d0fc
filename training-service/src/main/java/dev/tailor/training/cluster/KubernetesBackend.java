package dev.tailor.training.cluster;

import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.service.JobEvents;
import dev.tailor.training.service.TrainingBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One batch/v1 Job per training job ({@link JobManifests}), created suspended in the settings' Kueue queue; Kueue
 * admits it by unsuspending it. Informers on the Jobs and pods labelled as Tailor's turn their status into job states
 * ({@link JobStatusMapping}); the workers publish their own progress and {@code model.trained} to Kafka. Cancelling
 * deletes the Job (and its pods); a restarted controller finds its Jobs by label and adopts them.
 */
@ApplicationScoped
public class KubernetesBackend implements TrainingBackend {
    private static final Logger LOG = Logger.getLogger(KubernetesBackend.class);
    private static final long RESYNC_MILLIS = 60_000;

    private final boolean enabled;
    private final Cluster cluster;
    private final ClusterConfig config;
    /** model id → job id of the Jobs this controller follows, and their listeners. */
    private final Map<String, String> jobIds = new ConcurrentHashMap<>();
    private final Map<String, JobEvents> listeners = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    @Inject
    public KubernetesBackend(TrainingSettings settings, Instance<KubernetesClient> clients) {
        this.enabled = settings.kubernetes().enabled();
        this.config = enabled ? ClusterConfig.from(settings) : null;
        this.cluster = new Cluster(clients::get, config);
        cluster.onChange(this::changed);
    }

    /** A backend on {@code client} (tests: fabric8's mock API server). */
    public KubernetesBackend(KubernetesClient client, ClusterConfig config) {
        this.enabled = true;
        this.config = config;
        this.cluster = new Cluster(() -> client, config);
        cluster.onChange(this::changed);
    }

    @Override
    public BackendKind kind() {
        return BackendKind.KUBERNETES;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void submit(JobRecord job, JobEvents events) {
        follow(job.spec().modelId(), job.spec().jobId(), events);
        Job manifest = JobManifests.job(job, config, cluster.owner());
        Job existing = cluster.client().batch().v1().jobs().inNamespace(cluster.namespace()).withName(manifest.getMetadata()
                .getName()).get();
        if (existing == null) {
            cluster.client().batch().v1().jobs().inNamespace(cluster.namespace()).resource(manifest).create();
            LOG.infof("job %s: Job %s/%s created%s", job.spec().jobId(), cluster.namespace(), manifest.getMetadata().getName(),
                    config.queueName() == null ? "" : " suspended in Kueue queue " + config.queueName());
        } else {
            LOG.infof("job %s: Job %s already exists; following it", job.spec().jobId(), existing.getMetadata()
                    .getName());
        }
        reconcile(job.spec().modelId());
    }

    @Override
    public void cancel(JobRecord job) {
        String modelId = job.spec().modelId();
        cancelled.add(modelId);
        cluster.client().batch().v1().jobs().inNamespace(cluster.namespace()).withName(Labels.name(job.spec()))
                .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        JobEvents events = listeners.remove(modelId);
        jobIds.remove(modelId);
        if (events != null) {
            events.finished(job.spec().jobId(), JobState.CANCELLED, "cancelled: Job " + Labels.name(job.spec())
                    + " deleted", false);
        }
    }

    @Override
    public List<String> adopt(JobEvents events) {
        List<String> adopted = new ArrayList<>();
        for (Job j : cluster.client().batch().v1().jobs().inNamespace(cluster.namespace())
                .withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems()) {
            String modelId = j.getMetadata().getLabels().get(Labels.MODEL_ID);
            String jobId = j.getMetadata().getAnnotations() == null ? null
                    : j.getMetadata().getAnnotations().get(Labels.JOB_ID);
            if (modelId == null || jobId == null) {
                continue;
            }
            follow(modelId, jobId, events);
            adopted.add(jobId);
        }
        adopted.forEach(id -> jobIds.entrySet().stream().filter(e -> e.getValue().equals(id))
                .forEach(e -> reconcile(e.getKey())));
        return adopted;
    }

    @Override
    public String render(JobRecord job) {
        Job manifest = JobManifests.job(job, config, cluster.owner());
        if (manifest.getMetadata().getNamespace() == null) {
            manifest.getMetadata().setNamespace(cluster.namespace());
        }
        return Yaml.of(List.of(manifest));
    }

    @Override
    public void shutdown() {
        cluster.close();
    }

    private void follow(String modelId, String jobId, JobEvents events) {
        jobIds.put(modelId, jobId);
        listeners.put(modelId, events);
        watch();
    }

    /** Informers on Tailor's Jobs and worker pods (started once); every change reconciles its job. */
    private void watch() {
        cluster.watch(handler -> List.of(
                cluster.client().batch().v1().jobs().inNamespace(cluster.namespace())
                        .withLabel(Labels.MANAGED_BY, Labels.MANAGER).inform(handler, Cluster.RESYNC_MILLIS),
                cluster.client().pods().inNamespace(cluster.namespace())
                        .withLabel(Labels.MANAGED_BY, Labels.MANAGER).inform(handler, Cluster.RESYNC_MILLIS)));
    }

    private void changed(HasMetadata obj) {
        String modelId = Cluster.modelId(obj);
        if (modelId != null && jobIds.containsKey(modelId)) {
            reconcile(modelId);
        }
    }

    /** Reads the Job and its pods and tells the controller what state they mean. */
    synchronized void reconcile(String modelId) {
        String jobId = jobIds.get(modelId);
        JobEvents events = listeners.get(modelId);
        if (jobId == null || events == null) {
            return;
        }
        Job job = cluster.client().batch().v1().jobs().inNamespace(cluster.namespace()).withName("tailor-" + modelId).get();
        if (job == null) {
            if (!cancelled.contains(modelId)) {
                jobIds.remove(modelId);
                listeners.remove(modelId);
                events.finished(jobId, JobState.FAILED, "Job tailor-" + modelId + " was deleted outside Tailor",
                        false);
            }
            return;
        }
        List<Pod> pods = cluster.client().pods().inNamespace(cluster.namespace()).withLabel(Labels.MODEL_ID, modelId).list()
                .getItems();
        JobStatusMapping.Observed o = JobStatusMapping.of(job, pods);
        switch (o.state()) {
            case QUEUED -> events.queued(jobId, o.message());
            case RUNNING -> events.running(jobId, o.message());
            default -> {
                jobIds.remove(modelId);
                listeners.remove(modelId);
                // the worker published model.trained itself before exiting 0
                events.finished(jobId, o.state(), o.message(), o.state() == JobState.SUCCEEDED);
            }
        }
    }
}
