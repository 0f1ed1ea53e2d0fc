package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kustomize base: one Deployment + Service per service, config, credentials, probes, metrics, resources. */
class KustomizeBaseTest {
    private static Kustomization base;
    private static List<HasMetadata> objects;

    @BeforeAll
    static void load() {
        base = Kustomization.load(Repo.k8s().resolve("base"));
        objects = Manifests.parseAll(base.resourceFilesDeep());
    }

    static Stream<String> services() {
        return TailorServices.PORTS.keySet().stream();
    }

    @Test
    void everyListedResourceExistsAndParses() {
        assertFalse(base.resources().isEmpty(), "base lists no resources");
        for (Path r : base.resources()) {
            assertTrue(Files.isRegularFile(r), "base/kustomization.yaml lists " + r + " which does not exist");
            assertFalse(Manifests.parse(r).isEmpty(), r + " holds no Kubernetes object");
        }
    }

    @Test
    void everyManifestFileIsListedInTheKustomization() {
        try (Stream<Path> files = Files.list(base.dir())) {
            Set<Path> listed = new HashSet<>(base.resources());
            files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
                    .forEach(f -> assertTrue(listed.contains(f.normalize()),
                            f.getFileName() + " is in base/ but kustomization.yaml does not list it"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void noFieldIsUnknownToTheKubernetesModel() {
        List<String> unknown = objects.stream().flatMap(o -> Manifests.unknownFields(o).stream()).toList();
        assertTrue(unknown.isEmpty(), "fields the Kubernetes API does not have (typo?): " + unknown);
    }

    @Test
    void namesAreUniquePerKind() {
        Set<String> seen = new HashSet<>();
        for (HasMetadata o : objects) {
            assertTrue(seen.add(o.getKind() + "/" + o.getMetadata().getName()),
                    "duplicate " + o.getKind() + "/" + o.getMetadata().getName());
        }
    }

    @Test
    void configMapAndSecretCarryKafkaAndS3Settings() {
        ConfigMap config = Manifests.find(objects, ConfigMap.class, TailorServices.CONFIG_MAP)
                .orElseThrow(() -> new AssertionError("no ConfigMap " + TailorServices.CONFIG_MAP));
        for (String key : List.of("KAFKA_BOOTSTRAP_SERVERS", "TAILOR_STORAGE_ENDPOINT", "TAILOR_STORAGE_BUCKET")) {
            String value = config.getData().get(key);
            assertTrue(value != null && !value.isBlank(), "ConfigMap lacks " + key);
        }
        assertTrue(config.getData().get("TAILOR_STORAGE_ENDPOINT").matches("https?://.+"),
                "TAILOR_STORAGE_ENDPOINT must be an http(s) URL");
        Secret secret = Manifests.find(objects, Secret.class, TailorServices.S3_SECRET)
                .orElseThrow(() -> new AssertionError("no Secret " + TailorServices.S3_SECRET));
        Map<String, String> data = secret.getStringData();
        assertNotNull(data, "the Secret should use stringData with placeholders");
        for (String key : List.of("TAILOR_STORAGE_ACCESS_KEY", "TAILOR_STORAGE_SECRET_KEY")) {
            assertEquals("change-me", data.get(key), key + " must be a placeholder, never a real secret");
        }
        assertFalse(config.getData().keySet().stream().anyMatch(k -> k.contains("SECRET") || k.contains("ACCESS_KEY")
                        || k.contains("SASL") || k.contains("PASSWORD")),
                "credentials belong in the Secret, not the ConfigMap");
        assertTrue(config.getData().get("QUARKUS_OIDC_AUTH_SERVER_URL").matches("https://.+"),
                "every service trusts one OIDC issuer, over TLS");
        assertEquals("tailor_tenant", config.getData().get("TAILOR_AUTH_TENANT_CLAIM"));
        assertFalse(config.getData().containsKey("TAILOR_TENANT"), "the tenant comes from the caller, not the deployment");
        Secret kafka = Manifests.find(objects, Secret.class, "tailor-kafka-credentials")
                .orElseThrow(() -> new AssertionError("no Secret tailor-kafka-credentials (Kafka SASL/TLS settings)"));
        assertTrue(kafka.getStringData() == null || kafka.getStringData().isEmpty(), "no committed Kafka credentials");
    }

    @ParameterizedTest
    @MethodSource("services")
    void kafkaCredentialsArePassedThroughFromAnOptionalSecret(String name) {
        var from = container(name).getEnvFrom();
        assertTrue(from.stream().anyMatch(e -> e.getSecretRef() != null
                && "tailor-kafka-credentials".equals(e.getSecretRef().getName())
                && Boolean.TRUE.equals(e.getSecretRef().getOptional())), name + " does not read tailor-kafka-credentials");
    }

    @ParameterizedTest
    @MethodSource("services")
    void deploymentRunsTheServiceImageOnItsPort(String name) {
        Container c = container(name);
        int port = TailorServices.PORTS.get(name);
        assertEquals(TailorServices.image(name), c.getImage(), name + " image");
        ContainerPort http = c.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no container port named http"));
        assertEquals(port, http.getContainerPort(), name + " container port");
        assertTrue(c.getEnv().stream().anyMatch(e -> "QUARKUS_HTTP_PORT".equals(e.getName())
                && String.valueOf(port).equals(e.getValue())), name + " must set QUARKUS_HTTP_PORT=" + port);
        Deployment d = deployment(name);
        assertEquals(d.getSpec().getSelector().getMatchLabels(),
                filter(d.getSpec().getTemplate().getMetadata().getLabels(), d.getSpec().getSelector().getMatchLabels()),
                name + ": the selector must match the pod template's labels");
    }

    @ParameterizedTest
    @MethodSource("services")
    void serviceSelectsTheDeploymentsPodsOnTheHttpPort(String name) {
        Service svc = Manifests.find(objects, Service.class, name)
                .orElseThrow(() -> new AssertionError("no Service " + name));
        Map<String, String> podLabels = deployment(name).getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> selector = svc.getSpec().getSelector();
        assertFalse(selector == null || selector.isEmpty(), name + " Service has no selector");
        assertEquals(selector, filter(podLabels, selector), name + " Service selects no pod of its Deployment");
        ServicePort port = svc.getSpec().getPorts().get(0);
        assertEquals(TailorServices.PORTS.get(name), port.getPort(), name + " Service port");
        String target = port.getTargetPort().getStrVal();
        assertTrue(container(name).getPorts().stream().anyMatch(p -> Objects.equals(target, p.getName())),
                name + " Service targetPort " + target + " names no container port");
    }

    @ParameterizedTest
    @MethodSource("services")
    void probesUseQuarkusHealthEndpoints(String name) {
        Container c = container(name);
        assertHttpProbe(name + " readiness", c.getReadinessProbe(), "/q/health/ready");
        assertHttpProbe(name + " liveness", c.getLivenessProbe(), "/q/health/live");
        assertHttpProbe(name + " startup", c.getStartupProbe(), "/q/health/started");
    }

    @ParameterizedTest
    @MethodSource("services")
    void configComesFromTheConfigMapAndTheSecret(String name) {
        List<EnvFromSource> from = container(name).getEnvFrom();
        assertTrue(from.stream().anyMatch(e -> e.getConfigMapRef() != null
                && TailorServices.CONFIG_MAP.equals(e.getConfigMapRef().getName())), name + " lacks envFrom ConfigMap");
        assertTrue(from.stream().anyMatch(e -> e.getSecretRef() != null
                && TailorServices.S3_SECRET.equals(e.getSecretRef().getName())), name + " lacks envFrom Secret");
        assertTrue(container(name).getEnv().stream().noneMatch(e -> e.getName().startsWith("TAILOR_STORAGE_")
                || e.getName().startsWith("KAFKA_")), name + ": Kafka/S3 settings belong in the ConfigMap/Secret");
    }

    @ParameterizedTest
    @MethodSource("services")
    void resourcesAreRequestedAndBounded(String name) {
        var res = container(name).getResources();
        for (String r : List.of("cpu", "memory")) {
            Quantity request = res.getRequests().get(r);
            Quantity limit = res.getLimits().get(r);
            assertNotNull(request, name + " requests no " + r);
            assertNotNull(limit, name + " has no " + r + " limit");
            assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                    name + " " + r + " request " + request + " exceeds its limit " + limit);
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void prometheusScrapesQuarkusMetrics(String name) {
        Map<String, String> a = deployment(name).getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", a.get("prometheus.io/scrape"), name);
        assertEquals("/q/metrics", a.get("prometheus.io/path"), name);
        assertEquals(String.valueOf(TailorServices.PORTS.get(name)), a.get("prometheus.io/port"), name);
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsAsNonRootWithAWritableTmp(String name) {
        Deployment d = deployment(name);
        Container c = container(name);
        assertEquals(Boolean.TRUE, d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot(), name);
        if (Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())) {
            assertTrue(c.getVolumeMounts().stream().anyMatch(m -> "/tmp".equals(m.getMountPath())),
                    name + " has a read-only root file system and no writable /tmp (Vert.x, DJL need one)");
        }
    }

    @Test
    void trainingServiceAccountExists() {
        String sa = deployment("training-service").getSpec().getTemplate().getSpec().getServiceAccountName();
        assertNotNull(sa, "training-service needs a service account to run its jobs");
        assertTrue(Manifests.find(objects, io.fabric8.kubernetes.api.model.ServiceAccount.class, sa).isPresent(),
                "no ServiceAccount " + sa);
    }

    static Deployment deployment(String name) {
        return Manifests.find(objects, Deployment.class, name)
                .orElseThrow(() -> new AssertionError("no Deployment " + name + " in the base"));
    }

    static Container container(String name) {
        List<Container> containers = deployment(name).getSpec().getTemplate().getSpec().getContainers();
        return containers.stream().filter(c -> name.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no container named " + name));
    }

    private static void assertHttpProbe(String what, Probe probe, String path) {
        if (probe == null || probe.getHttpGet() == null) {
            fail(what + " probe must be an HTTP GET of " + path);
        }
        assertEquals(path, probe.getHttpGet().getPath(), what + " probe path");
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), what + " probe port");
    }

    private static Map<String, String> filter(Map<String, String> labels, Map<String, String> keys) {
        return labels.entrySet().stream().filter(e -> keys.containsKey(e.getKey()))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
