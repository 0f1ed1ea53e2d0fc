package dev.tailor.localstack;

import dev.tailor.common.Topics;
import dev.tailor.common.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka broker (KRaft) and a real S3 server (s3proxy) on free loopback ports, each in a child JVM
 * that dies with this JVM, data kept in {@code workDir} ({@code kafka/}, {@code s3/}, logs {@code kafka/kafka.log}
 * and {@code s3/s3.log}). Restarting on the same workDir keeps the data and, when still free, the ports. Every
 * Tailor topic and its dead-letter topic are created ({@code tailor.model.deployments} compacted).
 * <p>The S3 credentials are random for every start and never travel on a command line (where any local user can read
 * them in {@code /proc/<pid>/cmdline}): s3proxy and the services get them in their environment
 * ({@link #credentialsEnv()}), which only their owner can read.
 */
public final class LocalInfra implements AutoCloseable {
    /** Environment variables that carry the S3 credentials to a service (read as {@code tailor.storage.*}). */
    public static final String ENV_ACCESS_KEY = "TAILOR_STORAGE_ACCESS_KEY";
    public static final String ENV_SECRET_KEY = "TAILOR_STORAGE_SECRET_KEY";
    public static final String BUCKET = "tailor";
    public static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static LocalInfra shared;

    private final Path workDir;
    private final KafkaServer kafka;
    private final S3Server s3;
    private final ObjectStore store;
    private final boolean deleteOnClose;
    private final String accessKey;
    private final String secretKey;

    private LocalInfra(Path workDir, KafkaServer kafka, S3Server s3, ObjectStore store, boolean deleteOnClose,
                       String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.workDir = workDir;
        this.kafka = kafka;
        this.s3 = s3;
        this.store = store;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts both servers (in parallel) and waits until both serve requests. */
    public static LocalInfra start(Path workDir) {
        return start(workDir, false);
    }

    /** Like {@link #start(Path)} in a new temporary folder that {@link #close()} deletes. */
    public static LocalInfra startTemporary() {
        try {
            return start(Files.createTempDirectory("tailor-infra-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder", e);
        }
    }

    /** One infrastructure per JVM, started on first use in a temporary folder, stopped when the JVM exits. */
    public static synchronized LocalInfra shared() {
        if (shared == null) {
            LocalInfra infra = startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "tailor-infra-stop"));
            shared = infra;
        }
        return shared;
    }

    private static LocalInfra start(Path workDir, boolean deleteOnClose) {
        Path dir = workDir.toAbsolutePath();
        Properties ports = loadPorts(dir);
        int kafkaPort = Ports.freeOr(intOf(ports, "kafka.port"));
        int controllerPort = Ports.freeOr(intOf(ports, "kafka.controller.port"));
        int s3Port = Ports.freeOr(intOf(ports, "s3.port"));
        while (controllerPort == kafkaPort || s3Port == kafkaPort || s3Port == controllerPort) {
            controllerPort = Ports.free();
            s3Port = Ports.free();
        }
        savePorts(dir, kafkaPort, controllerPort, s3Port);
        KafkaServer kafka = KafkaServer.launch(dir.resolve("kafka"), kafkaPort, controllerPort);
        S3Server s3 = null;
        try {
            String accessKey = "tailor-" + random(8);
            String secretKey = random(30);
            s3 = S3Server.launch(dir.resolve("s3"), s3Port, accessKey, secretKey);
            ObjectStore store = new ObjectStore(s3.endpoint(), accessKey, secretKey, BUCKET, REGION);
            s3.awaitReady(store, READY_TIMEOUT);
            kafka.awaitReady(READY_TIMEOUT);
            createTopics(kafka.bootstrap());
            return new LocalInfra(dir, kafka, s3, store, deleteOnClose, accessKey, secretKey);
        } catch (RuntimeException e) {
            kafka.close();
            if (s3 != null) {
                s3.close();
            }
            throw e;
        }
    }

    private static void createTopics(String bootstrap) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : Topics.ALL) {
            NewTopic main = new NewTopic(topic, 1, (short) 1);
            if (topic.equals(Topics.MODEL_DEPLOYMENTS)) {
                main.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            topics.add(main);
            topics.add(new NewTopic(Topics.dlq(topic), 1, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create Tailor topics: " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    public Path workDir() {
        return workDir;
    }

    /** {@code 127.0.0.1:port} */
    public String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    /** {@code http://127.0.0.1:port} */
    public String s3Endpoint() {
        return s3.endpoint();
    }

    public String s3AccessKey() {
        return accessKey;
    }

    public String s3SecretKey() {
        return secretKey;
    }

    public String bucket() {
        return BUCKET;
    }

    /** A store on the bucket (which exists). */
    public ObjectStore objectStore() {
        return store;
    }

    /**
     * What a Tailor service needs to find this infrastructure, without credentials (safe on a command line):
     * {@code kafka.bootstrap.servers}, {@code tailor.storage.endpoint|bucket|region}.
     */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafkaBootstrap());
        config.put("tailor.storage.endpoint", s3Endpoint());
        config.put("tailor.storage.bucket", BUCKET);
        config.put("tailor.storage.region", REGION);
        return config;
    }

    /** The S3 credentials as a child process' environment ({@link #ENV_ACCESS_KEY}, {@link #ENV_SECRET_KEY}). */
    public Map<String, String> credentialsEnv() {
        return Map.of(ENV_ACCESS_KEY, accessKey, ENV_SECRET_KEY, secretKey);
    }

    /** {@link #quarkusConfig()} with {@code tailor.storage.access-key|secret-key}: for a service in this JVM. */
    public Map<String, String> quarkusConfigWithCredentials() {
        Map<String, String> config = new LinkedHashMap<>(quarkusConfig());
        config.put("tailor.storage.access-key", accessKey);
        config.put("tailor.storage.secret-key", secretKey);
        return config;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** Child process ids: kafka, s3. */
    public List<Long> pids() {
        return List.of(kafka.jvm().pid(), s3.jvm().pid());
    }

    /** Start times and resident memory of both servers, for logs and reports. */
    public String stats() {
        return String.format("kafka %s ready in %d ms, RSS %d MiB; s3proxy %s ready in %d ms, RSS %d MiB",
                kafkaBootstrap(), kafka.startup().toMillis(), kafka.jvm().rssBytes() >> 20,
                s3Endpoint(), s3.startup().toMillis(), s3.jvm().rssBytes() >> 20);
    }

    @Override
    public void close() {
        Thread kafkaStop = new Thread(kafka::close, "kafka-stop");
        kafkaStop.start();
        s3.close();
        try {
            kafkaStop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: a temporary folder
            }
        }
    }

    private static Properties loadPorts(Path dir) {
        Properties props = new Properties();
        Path file = dir.resolve("ports.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                props.load(in);
            } catch (IOException e) {
                // start on new ports
            }
        }
        return props;
    }

    private static void savePorts(Path dir, int kafka, int controller, int s3) {
        Properties props = new Properties();
        props.setProperty("kafka.port", Integer.toString(kafka));
        props.setProperty("kafka.controller.port", Integer.toString(controller));
        props.setProperty("s3.port", Integer.toString(s3));
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(dir.resolve("ports.properties"))) {
                props.store(out, "ports of the last LocalInfra start, reused when free");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("ports.properties"), e);
        }
    }

    private static int intOf(Properties props, String key) {
        try {
            return Integer.parseInt(props.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
