package dev.tailor.training.cluster;

import dev.tailor.llm.model.ModelConfig;
import dev.tailor.training.domain.JobRecord;
import dev.tailor.training.domain.Placement;
import dev.tailor.training.worker.WorkerSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Kubeflow Trainer v2 {@code TrainJob} (trainer.kubeflow.org/v1alpha1, as of Trainer v2.3.0) of a training job: a
 * {@code runtimeRef} to the torch-distributed ClusterTrainingRuntime, nodes x processes per node with one GPU per
 * process, the axolotl image and its configuration ({@link AxolotlConfig}) in the environment, the entrypoint
 * ({@code kubeflow/axolotl-entrypoint.sh}) that fetches the model and the version's splits from S3 and puts the PEFT
 * adapter back under the model's prefix, credentials from the Secret (never literal), the placement of the settings as
 * a runtime patch, and the Kueue queue label (created suspended; Kueue admits TrainJobs).
 */
public final class TrainJobManifests {
    public static final String API_VERSION = "trainer.kubeflow.org/v1alpha1";
    public static final String KIND = "TrainJob";
    /** Where TrainJobs are in the API (given, not discovered: the CRD's group, version and plural). */
    public static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext CONTEXT =
            new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup("trainer.kubeflow.org").withVersion("v1alpha1").withKind(KIND).withPlural("trainjobs")
                    .withNamespaced(true).build();
    /** The manager name of Tailor's runtime patch. */
    static final String PATCH_MANAGER = "tailor.dev/training-service";
    private static final String ENTRYPOINT = entrypoint();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private TrainJobManifests() {
    }

    /**
     * @param uri   s3:// URI of an object key
     * @param owner the Deployment owning the job, or null
     */
    public static GenericKubernetesResource trainJob(JobRecord record, ModelConfig shape, boolean hasValidation,
                                                     ClusterConfig c, Function<String, String> uri,
                                                     OwnerReference owner) {
        WorkerSpec spec = record.spec();
        Placement placement = record.placement();
        Map<String, Object> config = AxolotlConfig.of(spec.params(), shape, placement, spec.checkpointEvery(),
                hasValidation, spec.parentPrefix() != null);
        Map<String, String> labels = new LinkedHashMap<>(Labels.of(spec));
        if (c.queueName() != null) {
            labels.put(Labels.KUEUE_QUEUE, c.queueName());
        }
        List<Map<String, Object>> env = new ArrayList<>();
        env.add(value("TAILOR_AXOLOTL_CONFIG", SERIALIZATION.asYaml(config)));
        env.add(value("TAILOR_BASE_MODEL_URI", uri.apply(spec.baseModelPrefix())));
        env.add(value("TAILOR_PARENT_MODEL_URI", spec.parentPrefix() == null ? "" : uri.apply(spec.parentPrefix())));
        env.add(value("TAILOR_TRAIN_URI", uri.apply(spec.trainKey())));
        env.add(value("TAILOR_VALIDATION_URI", hasValidation ? uri.apply(spec.validationKey()) : ""));
        env.add(value("TAILOR_OUTPUT_URI", uri.apply(spec.outputPrefix())));
        env.add(value("AWS_ENDPOINT_URL", spec.s3Endpoint()));
        env.add(value("AWS_DEFAULT_REGION", spec.region() == null ? "us-east-1" : spec.region()));
        env.add(secret("AWS_ACCESS_KEY_ID", WorkerSpec.ENV_ACCESS_KEY, c.credentialsSecret()));
        env.add(secret("AWS_SECRET_ACCESS_KEY", WorkerSpec.ENV_SECRET_KEY, c.credentialsSecret()));

        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("cpu", c.cpu());
        resources.put("memory", c.memory());
        resources.put(c.gpuResource(), placement.processesPerNode());
        Map<String, Object> trainer = new LinkedHashMap<>();
        trainer.put("image", c.trainerImage());
        trainer.put("command", List.of("bash", "-c", ENTRYPOINT));
        trainer.put("env", env);
        trainer.put("numNodes", placement.nodes());
        trainer.put("numProcPerNode", placement.processesPerNode());
        trainer.put("resourcesPerNode", Map.of("requests", resources, "limits", resources));

        Map<String, Object> specMap = new LinkedHashMap<>();
        specMap.put("runtimeRef", Map.of("name", c.kubeflowRuntime(), "apiGroup", "trainer.kubeflow.org",
                "kind", "ClusterTrainingRuntime"));
        specMap.put("suspend", c.queueName() != null);
        specMap.put("trainer", trainer);
        Map<String, Object> podSpec = podPatch(c);
        if (!podSpec.isEmpty()) {
            Map<String, Object> node = Map.of("name", "node",
                    "template", Map.of("spec", Map.of("template", Map.of("spec", podSpec))));
            Map<String, Object> runtimeSpec = Map.of("template", Map.of("spec", Map.of("replicatedJobs",
                    List.of(node))));
            specMap.put("runtimePatches", List.of(Map.of("manager", PATCH_MANAGER, "trainingRuntimeSpec",
                    runtimeSpec)));
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", Labels.name(spec));
        if (c.namespace() != null) {
            metadata.put("namespace", c.namespace());
        }
        metadata.put("labels", labels);
        metadata.put("annotations", Map.of(Labels.JOB_ID, spec.jobId()));
        if (owner != null) {
            metadata.put("ownerReferences", List.of(SERIALIZATION.convertValue(owner, Map.class)));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", API_VERSION);
        doc.put("kind", KIND);
        doc.put("metadata", metadata);
        doc.put("spec", specMap);
        return SERIALIZATION.convertValue(doc, GenericKubernetesResource.class);
    }

    private static Map<String, Object> podPatch(ClusterConfig c) {
        Map<String, Object> pod = new LinkedHashMap<>();
        if (!c.nodeSelector().isEmpty()) {
            pod.put("nodeSelector", c.nodeSelector());
        }
        if (!c.tolerations().isEmpty()) {
            pod.put("tolerations", JobManifests.tolerations(c.tolerations()).stream()
                    .map(t -> SERIALIZATION.convertValue(t, Map.class)).toList());
        }
        if (c.affinityJson() != null) {
            pod.put("affinity", SERIALIZATION.unmarshal(c.affinityJson(), Map.class));
        }
        if (c.serviceAccount() != null) {
            pod.put("serviceAccountName", c.serviceAccount());
        }
        return pod;
    }

    private static Map<String, Object> value(String name, String value) {
        return Map.of("name", name, "value", value);
    }

    private static Map<String, Object> secret(String name, String key, String secret) {
        return Map.of("name", name, "valueFrom", Map.of("secretKeyRef", Map.of("name", secret, "key", key)));
    }

    private static String entrypoint() {
        try (InputStream in = TrainJobManifests.class.getResourceAsStream("/kubeflow/axolotl-entrypoint.sh")) {
            if (in == null) {
                throw new IllegalStateException("kubeflow/axolotl-entrypoint.sh is missing from the service's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
