package dev.tailor.training.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.worker.WorkerSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every object the cluster backends create validates against the upstream schemas in {@code deploy/schemas/}: the Job
 * against Kubernetes' batch/v1 JobSpec, the TrainJob against Kubeflow Trainer's CRD, both against Kueue's label
 * contract, the axolotl configuration against axolotl's config schema; credentials are only ever Secret references.
 */
class GeneratedObjectsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelConfig TINY = ModelConfig.read(Path.of("src/test/resources/tiny-llama"));
    /** Label keys and values as Kubernetes validates them (IsQualifiedName, IsValidLabelValue). */
    private static final String LABEL_KEY = "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final String LABEL_VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?";

    private static Job kubernetesJob(JobRecord r) {
        return JobManifests.job(r, ClusterFixtures.config(), new OwnerReferenceBuilder().withApiVersion("apps/v1")
                .withKind("Deployment").withName("training-service").withUid("6f1c9a3e-0b5d-4c1e-9f0a-1234567890ab")
                .withController(false).withBlockOwnerDeletion(false).build());
    }

    private static GenericKubernetesResource trainJob(JobRecord r) {
        return TrainJobManifests.trainJob(r, TINY, true, ClusterFixtures.config(), k -> "s3://tailor/" + k, null);
    }

    @Test
    void theJobValidatesAgainstTheBatchV1JobSchemaAndKueuesContract() {
        Job job = kubernetesJob(ClusterFixtures.kubernetesJob("00000000000000aa"));
        // the spec against the JobSpec schema; the metadata is a full ObjectMeta (with ownerReferences), which the
        // template's embedded metadata schema does not describe: its names and labels are checked below
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("spec", JSON.convertValue(job.getSpec(), Map.class));
        List<Error> errors = UpstreamSchemas.validate(UpstreamSchemas.jobTemplate(), template);
        assertTrue(errors.isEmpty(), "batch/v1 JobSpec: " + errors);
        assertEquals("batch/v1", job.getApiVersion());
        assertEquals("Job", job.getKind());
        assertKubernetesMetadata(job);

        String queueLabel = UpstreamSchemas.kueueConstant("QueueLabel");
        assertEquals(queueLabel, Labels.KUEUE_QUEUE);
        assertEquals(ClusterFixtures.QUEUE, job.getMetadata().getLabels().get(queueLabel));
        assertTrue(job.getSpec().getSuspend(), "created suspended so that Kueue admits it");

        List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
        assertEquals("Ignore", rules.get(0).getAction());
        assertEquals("DisruptionTarget", rules.get(0).getOnPodConditions().get(0).getType());
        assertEquals("FailJob", rules.get(1).getAction());
        assertEquals("Never", job.getSpec().getTemplate().getSpec().getRestartPolicy(), "podFailurePolicy needs it");
        assertEquals(86400, job.getSpec().getTtlSecondsAfterFinished());
        assertEquals(2, job.getSpec().getBackoffLimit());
        assertEquals("Deployment", job.getMetadata().getOwnerReferences().get(0).getKind());

        var pod = job.getSpec().getTemplate().getSpec();
        assertEquals(Map.of("tailor.dev/node-pool", "gpu"), pod.getNodeSelector());
        assertEquals("training-high", pod.getPriorityClassName());
        assertEquals(2, pod.getTolerations().size());
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());
        assertEquals("training", pod.getTolerations().get(1).getValue());
        assertTrue(pod.getAffinity().getNodeAffinity() != null);
        Container worker = pod.getContainers().get(0);
        assertEquals("1", worker.getResources().getLimits().get("nvidia.com/gpu").toString());
        assertEquals(List.of("java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/tailor/worker/lib/*",
                "dev.tailor.training.worker.TrainingWorker"), worker.getCommand());
        assertEquals("FallbackToLogsOnError", worker.getTerminationMessagePolicy());
        assertCredentialsOnlyFromTheSecret(worker.getEnv(), "tailor-s3-credentials");
        WorkerSpec inPod = dev.tailor.common.json.Json.read(worker.getEnv().stream()
                .filter(e -> e.getName().equals("TAILOR_WORKER_SPEC")).findFirst().orElseThrow().getValue(),
                WorkerSpec.class);
        assertEquals("/work/job", inPod.workDir(), "the worker's folder is the pod's scratch volume");
    }

    @Test
    void theTrainJobValidatesAgainstKubeflowTrainersCrdAndKueuesContract() throws Exception {
        TrainingParams params = TrainingParams.builder().loraRank(16).loraAlpha(32).loraDropout(0.1)
                .targetModules(Projection.values()).learningRate(2e-4).epochs(3).batchSize(4)
                .gradientAccumulation(8).maxSeqLength(2048).packing(true).evalEvery(50).earlyStoppingPatience(3)
                .backend("kubeflow").nodes(2).processesPerNode(4).precision("bf16-mixed").build();
        JobRecord r = ClusterFixtures.record(ClusterFixtures.spec("00000000000000bb", params), BackendKind.KUBEFLOW,
                2, 4);
        GenericKubernetesResource tj = trainJob(r);
        List<Error> errors = UpstreamSchemas.validate(UpstreamSchemas.trainJob(), tj);
        assertTrue(errors.isEmpty(), "TrainJob CRD v1alpha1: " + errors);
        assertKubernetesMetadata(tj);
        JsonNode spec = JSON.valueToTree(tj.getAdditionalProperties().get("spec"));
        assertEquals("torch-distributed", spec.at("/runtimeRef/name").asText());
        assertEquals("ClusterTrainingRuntime", spec.at("/runtimeRef/kind").asText());
        assertEquals(2, spec.at("/trainer/numNodes").asInt());
        assertEquals(4, spec.at("/trainer/numProcPerNode").asInt());
        assertEquals("4", spec.at("/trainer/resourcesPerNode/limits/nvidia.com~1gpu").asText());
        assertEquals("axolotlai/axolotl:0.18.0", spec.at("/trainer/image").asText());
        assertTrue(spec.at("/suspend").asBoolean());
        assertEquals(ClusterFixtures.QUEUE, tj.getMetadata().getLabels().get(UpstreamSchemas.kueueConstant(
                "QueueLabel")));
        JsonNode podPatch = spec.at("/runtimePatches/0/trainingRuntimeSpec/template/spec/replicatedJobs/0/template"
                + "/spec/template/spec");
        assertEquals("gpu", podPatch.at("/nodeSelector/tailor.dev~1node-pool").asText());
        List<EnvVar> env = JSON.convertValue(spec.at("/trainer/env"), JSON.getTypeFactory()
                .constructCollectionType(List.class, EnvVar.class));
        assertCredentialsOnlyFromTheSecret(env, "tailor-s3-credentials");
        assertEquals("s3://tailor/default/models/tuned/ft-00000000000000bb/", env.stream()
                .filter(e -> e.getName().equals("TAILOR_OUTPUT_URI")).findFirst().orElseThrow().getValue());
        String entrypoint = spec.at("/trainer/command/2").asText();
        assertTrue(entrypoint.contains("torchrun -m axolotl.cli.train"), entrypoint);
        Process bash = new ProcessBuilder("bash", "-n", "-c", entrypoint).redirectErrorStream(true).start();
        assertEquals(0, bash.waitFor(), "the entrypoint is valid bash: " + new String(bash.getInputStream()
                .readAllBytes()));
    }

    @Test
    void theAxolotlConfigurationFollowsAxolotlsSchema() throws Exception {
        TrainingParams lora = TrainingParams.builder().loraRank(8).loraAlpha(16).loraDropout(0.05)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).scheduler("constant").warmupRatio(0.1)
                .maxSteps(500).evalEvery(20).build();
        JobRecord one = ClusterFixtures.record(ClusterFixtures.spec("00000000000000cc", lora), BackendKind.KUBEFLOW,
                1, 1);
        Map<String, Object> single = AxolotlConfig.of(lora, TINY, one.placement(), 20, true);
        assertTrue(UpstreamSchemas.validate(UpstreamSchemas.axolotl(), single).isEmpty(),
                UpstreamSchemas.validate(UpstreamSchemas.axolotl(), single).toString());
        assertEquals("lora", single.get("adapter"));
        assertEquals(List.of("q_proj", "v_proj"), single.get("lora_target_modules"));
        assertEquals("tokenizer_default", single.get("chat_template"), "the base model's own chat template");
        assertEquals(false, single.get("train_on_inputs"), "loss on answers only");
        @SuppressWarnings("unchecked")
        Map<String, Object> ds = ((List<Map<String, Object>>) single.get("datasets")).get(0);
        assertEquals(List.of("assistant"), ds.get("roles_to_train"));
        assertEquals("constant_with_warmup", single.get("lr_scheduler"));
        assertEquals(500, single.get("max_steps"));
        assertNull(single.get("fsdp_config"), "one GPU: no sharding");

        TrainingParams full = TrainingParams.builder().method("full").learningRate(1e-5).build();
        JobRecord many = ClusterFixtures.record(ClusterFixtures.spec("00000000000000dd", full), BackendKind.KUBEFLOW,
                2, 8);
        Map<String, Object> sharded = AxolotlConfig.of(full, TINY, many.placement(), 50, false);
        assertTrue(UpstreamSchemas.validate(UpstreamSchemas.axolotl(), sharded).isEmpty(),
                UpstreamSchemas.validate(UpstreamSchemas.axolotl(), sharded).toString());
        assertFalse(sharded.containsKey("adapter"));
        assertEquals("LlamaDecoderLayer", ((Map<?, ?>) sharded.get("fsdp_config")).get("transformer_layer_cls_to_wrap"));

        // a job that continues a tuned model starts from its adapter, fetched next to the base model
        Map<String, Object> continued = AxolotlConfig.of(lora, TINY, one.placement(), 20, true, true);
        assertTrue(UpstreamSchemas.validate(UpstreamSchemas.axolotl(), continued).isEmpty(),
                UpstreamSchemas.validate(UpstreamSchemas.axolotl(), continued).toString());
        assertEquals(AxolotlConfig.PARENT_DIR, continued.get("lora_model_dir"));
        assertNull(single.get("lora_model_dir"));
        assertThrows(IllegalArgumentException.class, () -> AxolotlConfig.of(full, TINY, many.placement(), 50, false,
                true), "a parent adapter cannot start a full fine-tune");

        // the schema is strict: a key axolotl does not have, or a wrong type, is caught
        Map<String, Object> wrong = new LinkedHashMap<>(single);
        wrong.put("lora_rank", 8);
        assertFalse(UpstreamSchemas.validate(UpstreamSchemas.axolotl(), wrong).isEmpty());
        wrong = new LinkedHashMap<>(single);
        wrong.put("lora_alpha", 16.5);
        assertFalse(UpstreamSchemas.validate(UpstreamSchemas.axolotl(), wrong).isEmpty(), "lora_alpha is an int");
        assertThrows(IllegalArgumentException.class, () -> AxolotlConfig.of(TrainingParams.builder().loraAlpha(16.5)
                .build(), TINY, one.placement(), 20, true));
        // and the YAML the pods get parses back to the same configuration
        String yaml = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().asYaml(single);
        assertEquals(JSON.valueToTree(single), new ObjectMapper(new YAMLFactory()).readTree(yaml));
    }

    @Test
    void aStrictSchemaRejectsWhatTheApiServerWould() {
        Job job = kubernetesJob(ClusterFixtures.kubernetesJob("00000000000000ee"));
        Map<String, Object> template = new LinkedHashMap<>();
        Map<String, Object> spec = JSON.convertValue(job.getSpec(), Map.class);
        spec.put("backofLimit", 3); // a typo
        template.put("spec", spec);
        assertFalse(UpstreamSchemas.validate(UpstreamSchemas.jobTemplate(), template).isEmpty());
    }

    private static void assertKubernetesMetadata(HasMetadata o) {
        assertTrue(o.getMetadata().getName().matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?"), o.getMetadata().getName());
        o.getMetadata().getLabels().forEach((k, v) -> {
            assertTrue(k.matches(LABEL_KEY), "label key " + k);
            assertTrue(v.matches(LABEL_VALUE), "label value " + v);
        });
    }

    /** S3 and Kafka credentials come from Secret references; no literal value of them is in the object. */
    private static void assertCredentialsOnlyFromTheSecret(List<EnvVar> env, String secret) {
        for (EnvVar e : env) {
            boolean credential = e.getName().contains("SECRET") || e.getName().contains("ACCESS_KEY")
                    || e.getName().contains("JAAS") || e.getName().contains("PASSWORD");
            if (credential) {
                assertNull(e.getValue(), e.getName() + " must not be literal");
                assertEquals(secret, e.getValueFrom().getSecretKeyRef().getName(), e.getName());
            }
        }
        assertTrue(env.stream().anyMatch(e -> e.getValueFrom() != null), "credentials are referenced");
    }
}
