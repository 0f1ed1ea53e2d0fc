package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docker-compose.yml cannot start here (no Docker engine): this checks what it would start. */
class DockerComposeTest {
    private static Map<String, Object> services;

    @BeforeAll
    static void load() {
        services = map(Repo.yaml(Repo.root().resolve("docker-compose.yml")), "services");
    }

    static Stream<String> tailorServices() {
        return TailorServices.PORTS.keySet().stream();
    }

    @Test
    void kafkaIsASingleKraftNodeAtTheClientsVersion() {
        Map<String, Object> kafka = service("kafka");
        assertTrue(((String) kafka.get("image")).matches("apache/kafka:4\\.1\\.\\d+"),
                "Kafka image should be apache/kafka 4.1.x like the kafka-clients the Quarkus BOM pins: "
                        + kafka.get("image"));
        Map<String, String> env = env(kafka);
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), "KRaft combined mode");
        assertTrue(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").startsWith(env.get("KAFKA_NODE_ID") + "@kafka:"),
                "the only voter is this node");
        assertTrue(env.get("CLUSTER_ID").matches("[A-Za-z0-9_-]{22}"), "CLUSTER_ID must be a base64url UUID");
        for (String key : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR")) {
            assertEquals("1", env.get(key), key + " must be 1 on a single node (else consumers get nothing)");
        }
        assertTrue(env.get("KAFKA_ADVERTISED_LISTENERS").contains("PLAINTEXT://kafka:9092"),
                "containers reach the broker at kafka:9092");
        assertHealthcheck("kafka", kafka);
    }

    @Test
    void kafkaInitCreatesEveryTopicAndItsDeadLetterTopic() {
        Map<String, Object> init = service("kafka-init");
        assertEquals(service("kafka").get("image"), init.get("image"));
        assertEquals("service_healthy", condition(init, "kafka"));
        String script = String.join("\n", list(init, "command"));
        List<String> topics = Repo.topicsWithSchema();
        assertFalse(topics.isEmpty());
        for (String topic : topics) {
            assertTrue(script.contains(topic), "kafka-init does not create " + topic);
        }
        assertTrue(script.contains(".dlq"), "kafka-init creates no dead-letter topics");
        assertTrue(Pattern.compile("tailor\\.model\\.deployments .*cleanup\\.policy=compact").matcher(script).find(),
                "tailor.model.deployments must be compacted");
    }

    @Test
    void minioAndItsBucketMatchWhatTheServicesUse() {
        Map<String, Object> minio = service("minio");
        assertTrue(((String) minio.get("image")).startsWith("minio/minio:RELEASE."), "pin a MinIO release");
        assertHealthcheck("minio", minio);
        Map<String, String> env = env(minio);
        Map<String, Object> init = service("minio-init");
        assertTrue(((String) init.get("image")).startsWith("minio/mc:RELEASE."), "bucket creation uses minio/mc");
        assertEquals("service_healthy", condition(init, "minio"));
        String script = String.join("\n", list(init, "command"));
        assertTrue(script.contains(env.get("MINIO_ROOT_USER") + " " + env.get("MINIO_ROOT_PASSWORD")),
                "minio-init must log in with MinIO's root credentials");
        for (String name : TailorServices.PORTS.keySet()) {
            Map<String, String> s = env(service(name));
            assertEquals(env.get("MINIO_ROOT_USER"), s.get("TAILOR_STORAGE_ACCESS_KEY"), name + " access key");
            assertEquals(env.get("MINIO_ROOT_PASSWORD"), s.get("TAILOR_STORAGE_SECRET_KEY"), name + " secret key");
            assertTrue(Pattern.compile("mc mb .*/" + Pattern.quote(s.get("TAILOR_STORAGE_BUCKET")) + "\\b")
                    .matcher(script).find(), "minio-init does not create bucket " + s.get("TAILOR_STORAGE_BUCKET"));
        }
    }

    @ParameterizedTest
    @MethodSource("tailorServices")
    void serviceIsBuiltFromItsDockerfileAndExposesItsPort(String name) throws Exception {
        Map<String, Object> s = service(name);
        int port = TailorServices.PORTS.get(name);
        assertEquals(TailorServices.image(name), s.get("image"), name + " image tag (the same in deploy/k8s)");
        Map<String, Object> build = map(s, "build");
        Path context = Repo.root().resolve((String) build.get("context")).normalize();
        assertEquals(Repo.root().resolve(name), context, name + " builds from its module folder");
        Path dockerfile = context.resolve((String) build.get("dockerfile"));
        assertTrue(Files.isRegularFile(dockerfile), name + ": no Dockerfile at " + dockerfile);
        String text = Files.readString(dockerfile);
        assertTrue(text.contains("target/quarkus-app/"), name + ": the image is built from the Quarkus fast-jar");
        assertTrue(Pattern.compile("(?m)^EXPOSE " + port + "\\b").matcher(text).find(), name + " Dockerfile EXPOSE");
        assertTrue(Pattern.compile("(?m)^FROM \\S+:\\S+").matcher(text).find(), name + ": pin the base image tag");
        assertEquals(List.of(port + ":" + port), list(s, "ports"), name + " ports");
        assertEquals(String.valueOf(port), env(s).get("QUARKUS_HTTP_PORT"), name + " QUARKUS_HTTP_PORT");
    }

    @ParameterizedTest
    @MethodSource("tailorServices")
    void serviceReachesKafkaAndS3InsideTheComposeNetwork(String name) {
        Map<String, String> env = env(service(name));
        assertEquals("kafka:9092", env.get("KAFKA_BOOTSTRAP_SERVERS"), name + " kafka.bootstrap.servers");
        URI endpoint = URI.create(env.get("TAILOR_STORAGE_ENDPOINT"));
        assertEquals("minio", endpoint.getHost(), name + " tailor.storage.endpoint host");
        assertEquals(9000, endpoint.getPort(), name + " tailor.storage.endpoint port (the S3 API, not the console)");
        assertNotNull(env.get("TAILOR_STORAGE_BUCKET"), name + " tailor.storage.bucket");
    }

    @ParameterizedTest
    @MethodSource("tailorServices")
    void serviceIsHealthCheckedAndStartsAfterItsInfrastructure(String name) {
        Map<String, Object> s = service(name);
        String test = assertHealthcheck(name, s);
        assertTrue(test.contains("/q/health/ready"), name + " health check must ask /q/health/ready: " + test);
        assertTrue(test.contains("/" + TailorServices.PORTS.get(name) + " ") || test.contains(":"
                + TailorServices.PORTS.get(name) + "/"), name + " health check must use the service's port: " + test);
        assertEquals("service_healthy", condition(s, "kafka"), name + " waits for a healthy Kafka");
        assertEquals("service_healthy", condition(s, "minio"), name + " waits for a healthy MinIO");
        assertEquals("service_completed_successfully", condition(s, "kafka-init"), name + " waits for topics");
        assertEquals("service_completed_successfully", condition(s, "minio-init"), name + " waits for the bucket");
    }

    @Test
    void hostPortsDoNotCollide() {
        Set<String> seen = new HashSet<>();
        for (String name : services.keySet()) {
            if (!service(name).containsKey("ports")) {
                continue;
            }
            for (String mapping : list(service(name), "ports")) {
                String host = mapping.substring(0, mapping.lastIndexOf(':'));
                assertTrue(seen.add(host), "host port " + host + " is published twice");
            }
        }
    }

    @Test
    void bashHealthCheckIsValidAfterComposeInterpolation() {
        // Compose turns $$ into $; the command must then be the HTTP check it claims to be.
        String test = assertHealthcheck("ingest-service", service("ingest-service"));
        Matcher m = Pattern.compile("\\$(?!\\$)").matcher(test.replace("$$", ""));
        assertFalse(m.find(), "an unescaped $ would be interpolated by compose: " + test);
        assertTrue(test.contains("HTTP/1.0\\r\\n"), "HTTP request line must end in CRLF");
    }

    private static Map<String, Object> service(String name) {
        Object s = services.get(name);
        assertNotNull(s, "docker-compose.yml has no service " + name);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) s;
        return m;
    }

    /** The health check command as one string; fails when there is none. */
    private static String assertHealthcheck(String name, Map<String, Object> s) {
        Map<String, Object> hc = map(s, "healthcheck");
        List<String> test = list(hc, "test");
        assertTrue(test.size() >= 2 && List.of("CMD", "CMD-SHELL").contains(test.get(0)),
                name + " health check must be a CMD: " + test);
        assertNotNull(hc.get("interval"), name + " health check interval");
        assertNotNull(hc.get("retries"), name + " health check retries");
        return String.join(" ", test);
    }

    private static String condition(Map<String, Object> s, String dependency) {
        Map<String, Object> dep = map(map(s, "depends_on"), dependency);
        return (String) dep.get("condition");
    }

    private static Map<String, String> env(Map<String, Object> s) {
        Map<String, Object> env = map(s, "environment");
        Map<String, String> out = new java.util.HashMap<>();
        env.forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertTrue(v instanceof Map, key + " should be a mapping, is " + v);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertTrue(v instanceof List, key + " should be a list, is " + v);
        return ((List<Object>) v).stream().map(String::valueOf).toList();
    }
}
