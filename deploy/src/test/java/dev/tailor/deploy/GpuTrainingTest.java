package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Training on a GPU cluster: the GPU overlay's settings are the training service's real settings and name the Kueue
 * queue, LocalQueue → ClusterQueue → ResourceFlavor fit together and match the node pool, the Kueue and Kubeflow
 * examples validate against the upstream CRDs in {@code deploy/schemas/}, RBAC lets the service manage Jobs, pods and
 * TrainJobs and nothing more, and the GPU worker image's Dockerfile matches DJL's CUDA build and the Job the service
 * creates (no Docker engine here: checked as text).
 */
class GpuTrainingTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Path SCHEMAS = Repo.root().resolve("deploy/schemas");

    private static List<HasMetadata> objects(String dir) {
        return Manifests.parseAll(Kustomization.load(Repo.k8s().resolve(dir)).resourceFilesDeep());
    }

    private static <T> T one(List<HasMetadata> objects, String kind) {
        @SuppressWarnings("unchecked")
        T found = (T) objects.stream().filter(o -> kind.equals(o.getKind())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
        return found;
    }

    private static Map<String, String> trainingEnv() {
        Kustomization gpu = Kustomization.load(Repo.k8s().resolve("overlays/gpu"));
        Deployment patch = gpu.patches().stream().flatMap(p -> Manifests.parse(p.file()).stream())
                .filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> "training-service".equals(d.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("the GPU overlay does not configure training-service"));
        Container c = patch.getSpec().getTemplate().getSpec().getContainers().get(0);
        return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void theOverlaySettingsAreTrainingServiceSettings() throws Exception {
        Set<String> known = settingNames();
        Map<String, String> env = trainingEnv();
        assertEquals("true", env.get("TAILOR_TRAINING_KUBERNETES_ENABLED"));
        for (String name : env.keySet()) {
            assertTrue(known.contains(name), name + " is no setting of training-service (TrainingSettings): "
                    + known);
        }
    }

    @Test
    void localQueueClusterQueueAndFlavorFitTogetherAndMatchTheNodePool() {
        List<HasMetadata> namespaced = objects("overlays/gpu");
        List<HasMetadata> cluster = objects("cluster/gpu-queues");
        GenericKubernetesResource local = one(namespaced, "LocalQueue");
        GenericKubernetesResource queue = one(cluster, "ClusterQueue");
        GenericKubernetesResource flavor = one(cluster, "ResourceFlavor");
        Map<String, String> env = trainingEnv();
        assertEquals(local.getMetadata().getName(), env.get("TAILOR_TRAINING_KUBERNETES_QUEUE_NAME"),
                "jobs go to the LocalQueue of the overlay");
        assertEquals(queue.getMetadata().getName(), local.get("spec", "clusterQueue"));
        JsonNode groups = JSON.valueToTree(queue.getAdditionalProperties().get("spec")).path("resourceGroups");
        assertTrue(groups.findValuesAsText("name").contains(flavor.getMetadata().getName()));
        assertTrue(groups.get(0).path("coveredResources").toString().contains("nvidia.com/gpu"));
        Map<String, Object> labels = flavor.get("spec", "nodeLabels");
        String selector = env.get("TAILOR_TRAINING_KUBERNETES_NODE_SELECTOR");
        assertEquals(selector, labels.entrySet().iterator().next().getKey() + "=" + labels.values().iterator().next(),
                "the flavour's nodes are those the jobs select");
        for (HasMetadata o : cluster) {
            assertEquals(null, o.getMetadata().getNamespace(), o.getKind() + " is cluster-scoped");
        }
    }

    @Test
    void kueueAndKubeflowExamplesValidateAgainstTheUpstreamCrds() throws Exception {
        Map<String, String> crds = Map.of("LocalQueue", "kueue-v0.19.2/kueue.x-k8s.io_localqueues.yaml",
                "ClusterQueue", "kueue-v0.19.2/kueue.x-k8s.io_clusterqueues.yaml",
                "ResourceFlavor", "kueue-v0.19.2/kueue.x-k8s.io_resourceflavors.yaml",
                "ClusterTrainingRuntime", "kubeflow-trainer-v2.3.0/trainer.kubeflow.org_clustertrainingruntimes.yaml");
        List<HasMetadata> all = new ArrayList<>(objects("overlays/gpu"));
        all.addAll(objects("cluster/gpu-queues"));
        all.addAll(objects("cluster/kubeflow-runtime"));
        int checked = 0;
        for (HasMetadata o : all) {
            String crd = crds.get(o.getKind());
            if (crd == null) {
                continue;
            }
            String version = o.getApiVersion().substring(o.getApiVersion().indexOf('/') + 1);
            List<Error> errors = strictSchema(crd, version).validate(JSON.valueToTree(o));
            assertTrue(errors.isEmpty(), o.getKind() + "/" + o.getMetadata().getName() + ": " + errors);
            checked++;
        }
        assertEquals(4, checked, "LocalQueue, ClusterQueue, ResourceFlavor and the runtime were checked");
        GenericKubernetesResource runtime = one(objects("cluster/kubeflow-runtime"), "ClusterTrainingRuntime");
        assertEquals("torch-distributed", runtime.getMetadata().getName(),
                "the runtime Tailor's TrainJobs refer to (tailor.training.kubeflow.runtime)");
    }

    @Test
    void rbacCoversJobsPodsAndTrainJobsAndNoSecrets() {
        Role role = one(objects("base"), "Role");
        List<PolicyRule> rules = role.getRules();
        assertTrue(allows(rules, "batch", "jobs", "create", "delete", "watch", "list", "get"));
        assertTrue(allows(rules, "", "pods", "watch", "list", "get"));
        assertTrue(allows(rules, "trainer.kubeflow.org", "trainjobs", "create", "delete", "watch", "list", "get"));
        assertFalse(rules.stream().anyMatch(r -> r.getResources().contains("secrets")),
                "the Jobs reference the credentials Secret; the service never reads it");
        assertFalse(rules.stream().anyMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*")));
    }

    private static boolean allows(List<PolicyRule> rules, String group, String resource, String... verbs) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)
                && r.getVerbs().containsAll(List.of(verbs)));
    }

    @Test
    void theGpuWorkerImageHasDjlsCudaBuildAndRunsWhatTheJobRuns() throws Exception {
        String dockerfile = Repo.read(Repo.root().resolve("training-worker/src/main/docker/Dockerfile.gpu"));
        String pom = Repo.read(Repo.root().resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>pytorch-jni</artifactId><version>${pytorch.version}-${djl.version}"
                + "</version>"), "pytorch-jni is ${pytorch.version}-${djl.version}");
        String torch = property(pom, "pytorch");
        String version = torch + "-" + property(pom, "djl");
        assertEquals("0.36.0", property(pom, "djl"), "the CUDA flavour below (cu128) is DJL 0.36's; check it anew"
                + " for another DJL");
        assertTrue(dockerfile.contains("ARG PYTORCH_VERSION=" + torch), "libtorch " + torch + " for pytorch-jni "
                + version);
        assertTrue(dockerfile.contains("ARG PYTORCH_FLAVOR=cu128"), "DJL 0.36 publishes cu128 only for 2.7.1");
        assertTrue(dockerfile.contains("jnilib/linux-x86_64/${PYTORCH_FLAVOR}/libdjl_torch.so"));
        assertTrue(Pattern.compile("(?m)^ARG CUDA_IMAGE=nvidia/cuda:12\\.8\\.").matcher(dockerfile).find());
        assertTrue(dockerfile.contains("rm -f /opt/tailor/worker/lib/pytorch-native-cpu-*.jar"),
                "the CPU build must not be on the classpath");
        for (String env : List.of("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib", "DJL_OFFLINE=true",
                "PYTORCH_FLAVOR=${PYTORCH_FLAVOR}")) {
            assertTrue(dockerfile.contains(env), env);
        }
        assertTrue(Pattern.compile("(?m)^USER 185$").matcher(dockerfile).find(), "the Job runs as uid 185");
        // the Job the service creates runs the image's distribution with the worker's main class
        String manifests = Repo.read(Repo.root().resolve(
                "training-service/src/main/java/dev/tailor/training/cluster/JobManifests.java"));
        assertTrue(manifests.contains("WORKER_LIB = \"/opt/tailor/worker/lib/*\""));
        assertTrue(dockerfile.contains("COPY --chown=185 target/worker/lib/ /opt/tailor/worker/lib/"));
        assertTrue(Files.isRegularFile(Repo.root().resolve(
                "training-worker/src/main/java/dev/tailor/training/worker/TrainingWorker.java")));
        assertTrue(dockerfile.contains("\"dev.tailor.training.worker.TrainingWorker\""));
        assertTrue(Repo.read(Repo.root().resolve("training-worker/pom.xml")).contains(
                "${project.build.directory}/worker/lib"), "the build writes target/worker/lib");
    }

    private static String property(String pom, String artifact) {
        Matcher m = Pattern.compile("<" + Pattern.quote(artifact) + "\\.version>([^<]+)<").matcher(pom);
        if (!m.find()) {
            throw new AssertionError("no version of " + artifact + " in the root pom");
        }
        return m.group(1);
    }

    /** TrainingSettings' keys as environment variables (tailor.training.kubernetes.queue-name → TAILOR_..._QUEUE_NAME). */
    private static Set<String> settingNames() throws Exception {
        String source = Repo.read(Repo.root().resolve(
                "training-service/src/main/java/dev/tailor/training/config/TrainingSettings.java"));
        Set<String> out = new java.util.TreeSet<>();
        String prefix = "tailor.training.";
        String group = "";
        for (String line : source.split("\n")) {
            Matcher iface = Pattern.compile("^    interface (\\w+) \\{").matcher(line);
            if (iface.find()) {
                group = iface.group(1).toLowerCase(java.util.Locale.ROOT) + ".";
                continue;
            }
            Matcher m = Pattern.compile("^\\s+[\\w<>, ]+ (\\w+)\\(\\);").matcher(line);
            if (m.find()) {
                boolean nested = line.startsWith("        ");
                String key = prefix + (nested ? group : "") + m.group(1).replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                        .toLowerCase(java.util.Locale.ROOT);
                out.add(key.replaceAll("[.-]", "_").toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    private static com.networknt.schema.Schema strictSchema(String file, String version) throws Exception {
        JsonNode crd = YAML.readTree(SCHEMAS.resolve(file).toFile());
        for (JsonNode v : crd.path("spec").path("versions")) {
            if (v.path("name").asText().equals(version)) {
                JsonNode schema = v.path("schema").path("openAPIV3Schema").deepCopy();
                close(schema);
                return REGISTRY.getSchema(schema);
            }
        }
        throw new AssertionError(file + " serves no " + version);
    }

    /** additionalProperties false where the CRD lists properties: the API server's strict field validation. */
    private static void close(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(GpuTrainingTest::close);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(GpuTrainingTest::close);
        }
    }
}
