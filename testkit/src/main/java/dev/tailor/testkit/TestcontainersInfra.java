package dev.tailor.testkit;

import dev.tailor.localstack.LocalInfra;
import dev.tailor.common.storage.ObjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Kafka ({@code apache/kafka}) and MinIO containers, for machines with Docker: chosen by
 * {@code -Dtailor.infra=testcontainers}. Testcontainers is an optional dependency of the testkit: add
 * {@code org.testcontainers:testcontainers-kafka} to the test classpath to use it. Images can be overridden with
 * {@code -Dtailor.infra.kafka-image=} and {@code -Dtailor.infra.minio-image=}.
 */
final class TestcontainersInfra {
    private static TestcontainersInfra shared;

    private final KafkaContainer kafka;
    private final GenericContainer<?> minio;

    private TestcontainersInfra(KafkaContainer kafka, GenericContainer<?> minio) {
        this.kafka = kafka;
        this.minio = minio;
    }

    private static final String ACCESS_KEY = "tailor-access-key";
    private static final String SECRET_KEY = "tailor-" + java.util.UUID.randomUUID();

    static synchronized TestcontainersInfra shared() {
        if (shared == null) {
            KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(
                    System.getProperty("tailor.infra.kafka-image", "apache/kafka:4.1.2")));
            GenericContainer<?> minio = new GenericContainer<>(DockerImageName.parse(
                    System.getProperty("tailor.infra.minio-image", "minio/minio:latest")))
                    .withEnv("MINIO_ROOT_USER", ACCESS_KEY)
                    .withEnv("MINIO_ROOT_PASSWORD", SECRET_KEY)
                    .withCommand("server", "/data")
                    .withExposedPorts(9000)
                    .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));
            kafka.start();
            minio.start();
            shared = new TestcontainersInfra(kafka, minio);
            shared.objectStore().ensureBucket();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                minio.stop();
                kafka.stop();
            }, "tailor-containers-stop"));
        }
        return shared;
    }

    String s3Endpoint() {
        return "http://" + minio.getHost() + ":" + minio.getMappedPort(9000);
    }

    ObjectStore objectStore() {
        return new ObjectStore(s3Endpoint(), ACCESS_KEY, SECRET_KEY, LocalInfra.BUCKET,
                LocalInfra.REGION);
    }

    Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.getBootstrapServers());
        config.put("tailor.storage.endpoint", s3Endpoint());
        config.put("tailor.storage.access-key", ACCESS_KEY);
        config.put("tailor.storage.secret-key", SECRET_KEY);
        config.put("tailor.storage.bucket", LocalInfra.BUCKET);
        config.put("tailor.storage.region", LocalInfra.REGION);
        return config;
    }
}
