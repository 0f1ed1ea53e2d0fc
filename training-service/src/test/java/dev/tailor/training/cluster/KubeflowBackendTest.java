package dev.tailor.training.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.storage.TrainingStore;
import dev.tailor.training.worker.WorkerSpec;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.training.TinyJobs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeflow backend against the Kubernetes API (fabric8's mock server, CRUD): a TrainJob is submitted suspended,
 * Kueue admits it, its trainerStatus progress shows, and when it completes the PEFT adapter the trainer uploaded gets
 * the same {@code manifest.json} as a local job's (and a {@code training.json} from the trainer's state), which the
 * engine then loads like any adapter; a failed TrainJob fails the job with its condition's message.
 */
@EnableKubernetesMockClient(crud = true)
class KubeflowBackendTest {
    static KubernetesMockServer server;
    static KubernetesClient client;
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");

    private static GenericKubernetesResource trainJob(WorkerSpec spec) {
        return client.genericKubernetesResources(TrainJobManifests.CONTEXT)
                .inNamespace(ClusterFixtures.NAMESPACE).withName(Labels.name(spec)).get();
    }

    private static void update(WorkerSpec spec, java.util.function.Consumer<GenericKubernetesResource> change) {
        GenericKubernetesResource tj = trainJob(spec);
        change.accept(tj);
        client.genericKubernetesResources(TrainJobManifests.CONTEXT)
                .inNamespace(ClusterFixtures.NAMESPACE).resource(tj).update();
    }

    private static void status(GenericKubernetesResource tj, Map<String, Object> status) {
        tj.getAdditionalProperties().put("status", status);
    }

    private WorkerSpec upload(ObjectStore store, String id) throws Exception {
        String base = "kf-base-" + id;
        TinyJobs.uploadBaseModel(store, LAYOUT, base);
        String dataset = "kf-" + id;
        TinyJobs.uploadSplits(store, LAYOUT, dataset, "v1", 1);
        TrainingParams params = TrainingParams.builder().loraRank(4).loraAlpha(8).backend("kubeflow").nodes(1)
                .processesPerNode(2).build();
        String modelId = "ft-" + id;
        return new WorkerSpec("job-" + id, modelId, "default", dataset, "v1", base, params,
                TailorInfraResource.config().get("tailor.storage.endpoint"), store.bucket(), "us-east-1",
                LAYOUT.baseModel(base), LAYOUT.split(dataset, "v1", "train"), LAYOUT.split(dataset, "v1", "validation"),
                LAYOUT.split(dataset, "v1", "test"), LAYOUT.tunedModel(modelId), "/unused", 20);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCompletedTrainJobsAdapterGetsTheManifestOfALocalJob(@TempDir Path tmp) throws Exception {
        ObjectStore store = TailorInfraResource.objectStore();
        store.ensureBucket();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        WorkerSpec spec = upload(store, id);
        JobRecord record = ClusterFixtures.record(spec, BackendKind.KUBEFLOW, 1, 2);
        KubeflowBackend backend = new KubeflowBackend(client, ClusterFixtures.config(), new TrainingStore(store));
        Recorder events = new Recorder();
        try {
            backend.submit(record, events);
            GenericKubernetesResource tj = trainJob(spec);
            assertEquals(Boolean.TRUE, tj.get("spec", "suspend"));
            assertEquals(ClusterFixtures.QUEUE, tj.getMetadata().getLabels().get(Labels.KUEUE_QUEUE));
            events.await(spec.jobId(), JobState.QUEUED, m -> m.contains("waiting for Kueue"));

            update(spec, t -> ((Map<String, Object>) t.getAdditionalProperties().get("spec")).put("suspend", false));
            events.await(spec.jobId(), JobState.RUNNING, m -> m.contains("1 node(s) x 2 GPU(s)"));
            update(spec, t -> status(t, Map.of("trainerStatus", Map.of("progressPercentage", 50,
                    "estimatedRemainingSeconds", 600, "lastUpdatedTime", "2026-12-04T12:00:00Z",
                    "metrics", List.of(Map.of("name", "loss", "value", "1.25"))))));
            events.await(spec.jobId(), JobState.RUNNING, m -> m.equals("step 60/120"));

            // what the trainer's entrypoint uploads: a PEFT adapter and the trainer's state
            Path adapter = tmp.resolve("adapter");
            try (LanguageModel base = LanguageModel.load(Path.of("src/test/resources/tiny-llama"));
                 LoraAdapter a = LoraAdapter.init(base.transformer(), new LoraConfig(4, 8, 0,
                         spec.params().lora().targetModules()), 1)) {
                a.savePeft(adapter, "/workspace/tailor/model");
            }
            for (String f : List.of(LoraAdapter.CONFIG_FILE, LoraAdapter.WEIGHTS_FILE)) {
                store.putBytes(spec.outputPrefix() + f, Files.readAllBytes(adapter.resolve(f)),
                        "application/octet-stream");
            }
            store.putString(spec.outputPrefix() + "trainer_state.json", "{\"global_step\": 120, \"log_history\": ["
                    + "{\"loss\": 1.9, \"step\": 10}, {\"eval_loss\": 1.7, \"step\": 100}, {\"loss\": 1.2, \"step\":"
                    + " 120}]}", "application/json");
            update(spec, t -> status(t, Map.of("conditions", List.of(Map.of("type", "Complete", "status", "True",
                    "reason", "JobsCompleted", "message", "TrainJob is completed",
                    "lastTransitionTime", "2026-12-04T12:10:00Z")))));
            Recorder.Report done = events.await(spec.jobId(), JobState.SUCCEEDED, m -> true);
            assertTrue(!done.announced(), "the controller announces a TrainJob's output");

            Manifest manifest = store.getJson(ObjectLayout.manifest(spec.outputPrefix()), Manifest.class);
            assertEquals(spec.modelId(), manifest.modelId());
            assertEquals(spec.jobId(), manifest.jobId());
            assertEquals("training-service/kubeflow", manifest.producedBy());
            String manifestJson = Json.write(manifest);
            assertTrue(manifestJson.contains("adapter_model.safetensors"), manifestJson);
            assertTrue(manifestJson.contains("training-service/kubeflow"), manifestJson);
            JsonNode summary = Json.read(store.getBytes(ObjectLayout.trainingSummary(spec.outputPrefix())),
                    JsonNode.class);
            assertEquals(1.2, summary.path("trainLoss").asDouble());
            assertEquals(1.7, summary.path("validationLoss").asDouble());
            assertEquals(120, summary.path("steps").asInt());
            // eval and inference load it like any adapter
            Path fetched = tmp.resolve("fetched");
            store.downloadPrefix(spec.outputPrefix(), fetched);
            try (LanguageModel base = LanguageModel.load(Path.of("src/test/resources/tiny-llama"))) {
                base.loadAdapter("kubeflow", fetched);
                assertTrue(base.adapterNames().contains("kubeflow"));
            }
        } finally {
            backend.shutdown();
        }
    }

    @Test
    void aFailedTrainJobFailsTheJobWithItsReason() throws Exception {
        ObjectStore store = TailorInfraResource.objectStore();
        store.ensureBucket();
        WorkerSpec spec = upload(store, UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        KubeflowBackend backend = new KubeflowBackend(client, ClusterFixtures.config(), new TrainingStore(store));
        Recorder events = new Recorder();
        try {
            backend.submit(ClusterFixtures.record(spec, BackendKind.KUBEFLOW, 1, 2), events);
            update(spec, t -> status(t, Map.of("conditions", List.of(Map.of("type", "Failed", "status", "True",
                    "reason", "TrainingRuntimeNotSupported", "message", "ClusterTrainingRuntime torch-distributed"
                            + " not found", "lastTransitionTime", "2026-12-04T12:10:00Z")))));
            Recorder.Report failed = events.await(spec.jobId(), JobState.FAILED, m -> true);
            assertTrue(failed.message().contains("torch-distributed not found"), failed.message());
        } finally {
            backend.shutdown();
        }
    }
}
