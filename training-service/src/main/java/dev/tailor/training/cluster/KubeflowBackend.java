package dev.tailor.training.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.service.JobEvents;
import dev.tailor.training.service.TrainingBackend;
import dev.tailor.training.storage.TrainingStore;
import dev.tailor.training.worker.TrainingOutputs;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Jobs beyond one GPU as Kubeflow Trainer TrainJobs ({@link TrainJobManifests}) running axolotl. Their state comes
 * from the TrainJob's conditions (Suspended: waiting for Kueue; Complete; Failed with its message) and, where the
 * cluster enables the TrainJobStatus feature, its {@code trainerStatus} progress. When a TrainJob completes, the
 * controller finds the PEFT adapter the trainer uploaded under the model's prefix and writes {@code training.json}
 * and the same {@code manifest.json} as a local job's, so evaluation and serving treat it like any other.
 */
@ApplicationScoped
public class KubeflowBackend implements TrainingBackend {
    private static final Logger LOG = Logger.getLogger(KubeflowBackend.class);

    private final boolean enabled;
    private final Cluster cluster;
    private final ClusterConfig config;
    private final TrainingStore store;
    private final Map<String, JobRecord> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobEvents> listeners = new ConcurrentHashMap<>();

    @Inject
    public KubeflowBackend(TrainingSettings settings, Instance<KubernetesClient> clients, TrainingStore store) {
        this.enabled = settings.kubeflow().enabled();
        this.config = enabled ? ClusterConfig.from(settings) : null;
        this.cluster = new Cluster(clients::get, config);
        this.store = store;
        cluster.onChange(this::changed);
    }

    /** A backend on {@code client} (tests). */
    public KubeflowBackend(KubernetesClient client, ClusterConfig config, TrainingStore store) {
        this.enabled = true;
        this.config = config;
        this.cluster = new Cluster(() -> client, config);
        this.store = store;
        cluster.onChange(this::changed);
    }

    @Override
    public BackendKind kind() {
        return BackendKind.KUBEFLOW;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> trainJobs() {
        return cluster.client().genericKubernetesResources(TrainJobManifests.CONTEXT);
    }

    /** The TrainJob of a job (also what {@link #render} prints). */
    GenericKubernetesResource manifest(JobRecord job) {
        WorkerSpec spec = job.spec();
        ModelConfig shape = store.baseModelConfig(new ObjectLayout(spec.tenant()), spec.baseModel()).orElseThrow(() -> new IllegalStateException(
                "base model " + spec.baseModel() + " is no longer in S3"));
        ObjectStore objects = store.objects();
        return TrainJobManifests.trainJob(job, shape, objects.exists(spec.validationKey()), config, objects::uri,
                cluster.owner());
    }

    @Override
    public void submit(JobRecord job, JobEvents events) {
        String modelId = job.spec().modelId();
        jobs.put(modelId, job);
        listeners.put(modelId, events);
        watch();
        GenericKubernetesResource tj = manifest(job);
        if (trainJobs().inNamespace(cluster.namespace()).withName(tj.getMetadata().getName()).get() == null) {
            trainJobs().inNamespace(cluster.namespace()).resource(tj).create();
            LOG.infof("job %s: TrainJob %s created", job.spec().jobId(), tj.getMetadata().getName());
        }
        reconcile(modelId);
    }

    @Override
    public void cancel(JobRecord job) {
        String modelId = job.spec().modelId();
        trainJobs().inNamespace(cluster.namespace()).withName(Labels.name(job.spec()))
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        jobs.remove(modelId);
        JobEvents events = listeners.remove(modelId);
        if (events != null) {
            events.finished(job.spec().jobId(), JobState.CANCELLED, "cancelled: TrainJob " + Labels.name(job.spec())
                    + " deleted", false);
        }
    }

    @Override
    public List<String> adopt(JobEvents events) {
        List<String> adopted = new ArrayList<>();
        for (GenericKubernetesResource tj : trainJobs().inNamespace(cluster.namespace())
                .withLabel(Labels.MANAGED_BY, Labels.MANAGER).list().getItems()) {
            String modelId = tj.getMetadata().getLabels().get(Labels.MODEL_ID);
            String tenant = tj.getMetadata().getLabels().get(Labels.TENANT);
            String jobId = tj.getMetadata().getAnnotations() == null ? null
                    : tj.getMetadata().getAnnotations().get(Labels.JOB_ID);
            if (modelId == null || jobId == null || tenant == null) {
                continue;
            }
            // the record of the tenant the TrainJob is labelled with: a job is only ever another tenant's if its
            // record says so
            store.job(new ObjectLayout(tenant), modelId).filter(r -> r.spec().tenant().equals(tenant)).ifPresent(r -> {
                jobs.put(modelId, r);
                listeners.put(modelId, events);
                adopted.add(jobId);
            });
        }
        watch();
        List.copyOf(jobs.keySet()).forEach(this::reconcile);
        return adopted;
    }

    @Override
    public String render(JobRecord job) {
        return Yaml.of(List.of(manifest(job)));
    }

    @Override
    public void shutdown() {
        cluster.close();
    }

    private void watch() {
        cluster.watch(handler -> List.of(trainJobs().inNamespace(cluster.namespace())
                .withLabel(Labels.MANAGED_BY, Labels.MANAGER).inform(handler, Cluster.RESYNC_MILLIS)));
    }

    private void changed(HasMetadata tj) {
        String modelId = Cluster.modelId(tj);
        if (modelId != null && jobs.containsKey(modelId)) {
            reconcile(modelId);
        }
    }

    synchronized void reconcile(String modelId) {
        JobRecord job = jobs.get(modelId);
        JobEvents events = listeners.get(modelId);
        if (job == null || events == null) {
            return;
        }
        String jobId = job.spec().jobId();
        GenericKubernetesResource tj = trainJobs().inNamespace(cluster.namespace()).withName(Labels.name(job.spec())).get();
        if (tj == null) {
            jobs.remove(modelId);
            listeners.remove(modelId);
            events.finished(jobId, JobState.FAILED, "TrainJob " + Labels.name(job.spec()) + " was deleted outside"
                    + " Tailor", false);
            return;
        }
        JsonNode status = Json.mapper().valueToTree(tj.getAdditionalProperties().getOrDefault("status", Map.of()));
        if (condition(status, "Complete")) {
            jobs.remove(modelId);
            listeners.remove(modelId);
            try {
                finalizeOutput(job);
                events.finished(jobId, JobState.SUCCEEDED, null, false);
            } catch (RuntimeException e) {
                events.finished(jobId, JobState.FAILED, "TrainJob completed but its output is unusable: "
                        + e.getMessage(), false);
            }
            return;
        }
        if (condition(status, "Failed")) {
            jobs.remove(modelId);
            listeners.remove(modelId);
            JsonNode c = find(status, "Failed");
            events.finished(jobId, JobState.FAILED, "TrainJob failed (" + c.path("reason").asText() + "): "
                    + c.path("message").asText(), false);
            return;
        }
        boolean suspended = Boolean.TRUE.equals(Json.mapper().valueToTree(tj.getAdditionalProperties().get("spec"))
                .path("suspend").booleanValue()) || condition(status, "Suspended");
        if (suspended) {
            events.queued(jobId, "waiting for Kueue to admit the TrainJob"
                    + (config.queueName() == null ? "" : " to queue " + config.queueName()));
            return;
        }
        var p = job.placement();
        events.running(jobId, "TrainJob running on " + p.nodes() + " node(s) x " + p.processesPerNode() + " GPU(s)");
        JsonNode trainer = status.path("trainerStatus");
        if (trainer.path("progressPercentage").isNumber() && job.preflight() != null) {
            int total = job.preflight().totalSteps();
            int step = (int) Math.round(total * trainer.path("progressPercentage").asDouble() / 100.0);
            Double loss = null;
            for (JsonNode m : trainer.path("metrics")) {
                if (m.path("name").asText().equals("loss") || m.path("name").asText().equals("train_loss")) {
                    try {
                        loss = Double.parseDouble(m.path("value").asText());
                    } catch (NumberFormatException ignored) {
                        // not a number: left out
                    }
                }
            }
            Double eta = trainer.path("estimatedRemainingSeconds").isNumber()
                    ? trainer.path("estimatedRemainingSeconds").asDouble() : null;
            events.progress(jobId, new WorkerReport(WorkerReport.State.RUNNING.name(), Math.max(step, 0), total, 0,
                    loss, null, null, null, eta, null));
        }
    }

    private static boolean condition(JsonNode status, String type) {
        JsonNode c = find(status, type);
        return c != null && "True".equals(c.path("status").asText());
    }

    private static JsonNode find(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    /**
     * The trainer uploaded the adapter (or the full checkpoint) and its {@code trainer_state.json}; write
     * {@code training.json} from that state, then the manifest that marks the output complete.
     */
    void finalizeOutput(JobRecord job) {
        WorkerSpec spec = job.spec();
        ObjectStore objects = store.objects();
        String prefix = spec.outputPrefix();
        List<String> needed = spec.params().usesLora()
                ? List.of("adapter_config.json", "adapter_model.safetensors") : List.of("config.json");
        for (String file : needed) {
            if (!objects.exists(prefix + file)) {
                throw new IllegalStateException("no " + file + " under " + objects.uri(prefix));
            }
        }
        ObjectNode summary = Json.mapper().createObjectNode();
        String stateKey = prefix + "trainer_state.json";
        int steps = 0;
        if (objects.exists(stateKey)) {
            JsonNode state = Json.read(objects.getBytes(stateKey), JsonNode.class);
            steps = state.path("global_step").asInt(0);
            for (JsonNode entry : state.path("log_history")) {
                if (entry.path("loss").isNumber()) {
                    summary.put("trainLoss", entry.path("loss").asDouble());
                }
                if (entry.path("eval_loss").isNumber()) {
                    summary.put("validationLoss", entry.path("eval_loss").asDouble());
                }
            }
        }
        summary.put("trainer", "axolotl");
        summary.put("image", config.trainerImage());
        summary.put("jobId", spec.jobId());
        summary.put("modelId", spec.modelId());
        summary.put("datasetId", spec.datasetId());
        summary.put("datasetVersion", spec.datasetVersion());
        summary.put("baseModel", spec.baseModel());
        summary.put("steps", steps);
        summary.set("params", Json.mapper().valueToTree(spec.params()));
        objects.putJson(ObjectLayout.trainingSummary(prefix), summary);
        Map<String, String> outputs = new LinkedHashMap<>();
        for (ObjectInfo o : objects.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (!name.contains("/") && !name.equals("job.json") && !name.equals("manifest.json")) {
                outputs.put(name, objects.uri(o.key()));
            }
        }
        TrainingOutputs.writeManifest(objects, spec, "training-service/kubeflow", outputs, steps);
    }
}
