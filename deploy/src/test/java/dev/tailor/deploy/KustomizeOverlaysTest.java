package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Overlays and components: every file they name exists, the GPU patch, the KEDA autoscaling. */
class KustomizeOverlaysTest {

    /** Every folder under deploy/k8s that has a kustomization.yaml. */
    static Stream<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.k8s())) {
            return files.filter(f -> f.endsWith("kustomization.yaml")).map(Path::getParent).sorted().toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everythingAKustomizationNamesExists(Path dir) {
        Kustomization k = Kustomization.load(dir);
        String where = Repo.k8s().relativize(dir) + "/kustomization.yaml";
        assertFalse(k.resources().isEmpty() && k.components().isEmpty() && k.generated().isEmpty(),
                where + " names nothing");
        for (Path g : k.generated()) {
            assertTrue(Files.isRegularFile(g), where + " generates from " + g + ": no such file");
        }
        for (Path r : k.resources()) {
            assertTrue(Files.isRegularFile(r) || Files.isRegularFile(r.resolve("kustomization.yaml")),
                    where + " lists resource " + r + ": no such file or kustomization");
        }
        for (Path c : k.components()) {
            assertEquals("Component", Kustomization.load(c).kind(), where + ": " + c + " is not a kustomize Component");
        }
        for (Kustomization.Patch p : k.patches()) {
            assertTrue(Files.isRegularFile(p.file()), where + " lists patch " + p.file() + ": no such file");
        }
        List<HasMetadata> objects = Manifests.parseAll(k.resourceFilesDeep());
        assertFalse(objects.isEmpty() && k.generated().isEmpty(), where + " yields no object");
        List<String> unknown = objects.stream().flatMap(o -> Manifests.unknownFields(o).stream()).toList();
        assertTrue(unknown.isEmpty(), where + ": fields the Kubernetes API does not have: " + unknown);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void patchesTargetObjectsThatExistAndKeepContainerNames(Path dir) {
        Kustomization k = Kustomization.load(dir);
        List<HasMetadata> objects = Manifests.parseAll(k.resourceFilesDeep());
        for (Kustomization.Patch p : k.patches()) {
            for (HasMetadata patch : Manifests.parse(p.file())) {
                String name = p.targetName() != null ? p.targetName() : patch.getMetadata().getName();
                HasMetadata target = objects.stream()
                        .filter(o -> o.getKind().equals(patch.getKind()) && o.getMetadata().getName().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(p.file() + " patches " + patch.getKind() + "/" + name
                                + " which the overlay's resources do not contain"));
                if (patch instanceof Deployment d && target instanceof Deployment t) {
                    // A strategic-merge patch with a container name the base lacks adds a second container.
                    List<String> baseNames = t.getSpec().getTemplate().getSpec().getContainers().stream()
                            .map(Container::getName).toList();
                    for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                        assertTrue(baseNames.contains(c.getName()), p.file() + " patches container " + c.getName()
                                + " but " + name + " has only " + baseNames);
                    }
                }
            }
        }
    }

    @Test
    void autoscalingScalesExistingConsumersOnKnownTopics() {
        Path dir = Repo.k8s().resolve("components/kafka-autoscaling");
        Kustomization component = Kustomization.load(dir);
        List<HasMetadata> base = Manifests.parseAll(Kustomization.load(Repo.k8s().resolve("base")).resourceFilesDeep());
        List<String> topics = Repo.topicsWithSchema();
        ConfigMap config = Manifests.find(base, ConfigMap.class, TailorServices.CONFIG_MAP).orElseThrow();
        List<HasMetadata> scaled = Manifests.parseAll(component.resourceFilesDeep());
        assertFalse(scaled.isEmpty(), "no ScaledObject in " + dir);
        for (HasMetadata o : scaled) {
            assertEquals("ScaledObject", o.getKind());
            assertEquals("keda.sh/v1alpha1", o.getApiVersion());
            GenericKubernetesResource so = (GenericKubernetesResource) o;
            String target = so.get("spec", "scaleTargetRef", "name");
            assertTrue(Manifests.find(base, Deployment.class, target).isPresent(),
                    so.getMetadata().getName() + " scales " + target + ", which is no Deployment of the base");
            List<Map<String, Object>> triggers = so.get("spec", "triggers");
            for (Map<String, Object> t : triggers) {
                assertEquals("kafka", t.get("type"));
                @SuppressWarnings("unchecked")
                Map<String, String> meta = (Map<String, String>) t.get("metadata");
                assertTrue(topics.contains(meta.get("topic")), "unknown topic " + meta.get("topic"));
                assertEquals(config.getData().get("KAFKA_BOOTSTRAP_SERVERS"), meta.get("bootstrapServers"),
                        "KEDA must watch the Kafka the services use");
                assertConsumerGroup(target, meta.get("topic"), meta.get("consumerGroup"));
            }
            int max = ((Number) so.get("spec", "maxReplicaCount")).intValue();
            assertTrue(max >= 1 && max <= 3, "more replicas than partitions (3) would idle: " + max);
        }
    }

    /** The lag KEDA watches must be that of the group the service really consumes the topic with. */
    private static void assertConsumerGroup(String service, String topic, String group) {
        Path file = Repo.root().resolve(service + "/src/main/resources/application.properties");
        assumeTrue(Files.isRegularFile(file), file + " not written yet");
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String prefix = "mp.messaging.incoming.";
        List<String> groups = props.stringPropertyNames().stream()
                .filter(k -> k.startsWith(prefix) && k.endsWith(".topic") && topic.equals(props.getProperty(k)))
                .map(k -> props.getProperty(k.substring(0, k.length() - ".topic".length()) + ".group.id"))
                .toList();
        assertFalse(groups.isEmpty(), service + " has no incoming channel on " + topic + " in " + file);
        assertTrue(groups.contains(group), "KEDA watches group " + group + " but " + service + " consumes " + topic
                + " as " + groups);
    }
}
