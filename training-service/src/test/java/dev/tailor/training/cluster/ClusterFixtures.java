package dev.tailor.training.cluster;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.JobState;
import dev.tailor.training.domain.MemoryEstimate;
import dev.tailor.training.domain.Placement;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.worker.WorkerSpec;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Jobs, settings and pods of the cluster backend tests. */
final class ClusterFixtures {
    static final String NAMESPACE = "tailor";
    static final String QUEUE = "tailor-gpu";
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");

    private ClusterFixtures() {
    }

    static ClusterConfig config() {
        return new ClusterConfig(NAMESPACE, "registry.example/tailor/training-worker-gpu:0.1.0", QUEUE, "training-high",
                Map.of("tailor.dev/node-pool", "gpu"), List.of("nvidia.com/gpu:NoSchedule", "dedicated=training:NoExecute"),
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{"
                        + "\"matchExpressions\":[{\"key\":\"nvidia.com/gpu.product\",\"operator\":\"In\",\"values\":"
                        + "[\"NVIDIA-H100-80GB-HBM3\",\"NVIDIA-A100-SXM4-80GB\"]}]}]}}}",
                "nvidia.com/gpu", "8", "64Gi", "200Gi", "tailor-s3-credentials", "kafka.tailor.svc:9092",
                "training-worker", 2, 86400, 120, null, "torch-distributed", "axolotlai/axolotl:0.18.0", true);
    }

    static WorkerSpec spec(String modelHash, TrainingParams params) {
        String modelId = "ft-" + modelHash;
        return new WorkerSpec("job-" + modelHash, modelId, "default", "ds-support", "v-1", "qwen2.5-0.5b", params,
                "http://minio.tailor.svc:9000", "tailor", "us-east-1", LAYOUT.baseModel("qwen2.5-0.5b"),
                LAYOUT.split("ds-support", "v-1", "train"), LAYOUT.split("ds-support", "v-1", "validation"),
                LAYOUT.split("ds-support", "v-1", "test"), LAYOUT.tunedModel(modelId), "/tmp/tailor/jobs/" + modelId,
                20);
    }

    static JobRecord record(WorkerSpec spec, BackendKind backend, int nodes, int perNode) {
        MemoryEstimate memory = new MemoryEstimate("cuda", "bf16-mixed", 2L << 30, 12L << 30, nodes * perNode);
        Placement placement = new Placement(backend, "cuda:0", "bf16-mixed", nodes, perNode, memory, "asked for");
        Preflight preflight = new Preflight(1000, 120, 4096, 494_000_000L, 1_000_000L, 6L << 30, 3600, List.of(),
                memory);
        return new JobRecord(spec, JobState.QUEUED.name(), "queued", preflight, Instant.now(), Instant.now(),
                placement);
    }

    static JobRecord kubernetesJob(String hash) {
        return record(spec(hash, TrainingParams.defaults()), BackendKind.KUBERNETES, 1, 1);
    }

    /** A worker pod of the job's Job, as the Job controller would create it. */
    static Pod pod(KubernetesClient client, WorkerSpec spec, String name) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .withLabels(Labels.of(spec)).endMetadata()
                .withNewSpec().withNodeName("gpu-node-1").addNewContainer().withName(JobManifests.CONTAINER)
                .withImage(config().image()).endContainer().endSpec().build();
        return client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    static void running(KubernetesClient client, Pod pod) {
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    /** Kueue evicted it, or a node drain: the pod fails with condition DisruptionTarget. */
    static void preempted(KubernetesClient client, Pod pod) {
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed")
                .withConditions(new PodConditionBuilder().withType(Labels.DISRUPTION_TARGET).withStatus("True")
                        .withReason("PreemptionByScheduler").withMessage("Kueue: preempted to fit a higher-priority"
                                + " workload").build())
                .withContainerStatuses(new ContainerStatusBuilder().withName(JobManifests.CONTAINER)
                        .withNewState().withNewTerminated().withExitCode(143).withReason("Error").endTerminated()
                        .endState().build()).build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    /** The worker failed on its own and wrote why to its termination message. */
    static void failed(KubernetesClient client, Pod pod, String message) {
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(JobManifests.CONTAINER)
                        .withNewState().withNewTerminated().withExitCode(1).withReason("Error").withMessage(message)
                        .endTerminated().endState().build()).build());
        client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }
}
