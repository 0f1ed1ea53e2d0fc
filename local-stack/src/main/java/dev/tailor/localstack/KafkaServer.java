package dev.tailor.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One Apache Kafka node (KRaft, broker + controller) in a child JVM, data under {@code dir/data}. */
final class KafkaServer implements AutoCloseable {
    static final List<String> JVM_ARGS = List.of("-Xmx512m", "-Xms64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    private final ChildJvm jvm;
    private final int port;
    private final long launchedNanos = System.nanoTime();
    private Duration startup;

    private KafkaServer(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    /** Launches the broker; {@link #awaitReady(Duration)} waits until it serves requests. */
    static KafkaServer launch(Path dir, int port, int controllerPort) {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            Files.writeString(config, config(dir.resolve("data"), port, controllerPort));
            ChildJvm jvm = ChildJvm.startWatched("kafka", JVM_ARGS, ServerClasspath.of("kafka-server"),
                    "dev.tailor.localstack.kafka.KafkaServerMain", List.of(config.toString()), Map.of(),
                    dir.resolve("kafka.log"));
            return new KafkaServer(jvm, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka in " + dir, e);
        }
    }

    private static String config(Path data, int port, int controllerPort) {
        String voters = "1@127.0.0.1:" + controllerPort;
        return String.join("\n",
                "# written by dev.tailor.localstack.KafkaServer: single-node KRaft (broker + controller) on loopback",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=" + voters,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "# one node: every internal topic has one replica (without these consumers silently get nothing)",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "share.coordinator.state.topic.num.partitions=1",
                "group.initial.rebalance.delay.ms=0",
                "log.segment.bytes=67108864",
                "") ;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    ChildJvm jvm() {
        return jvm;
    }

    Duration startup() {
        return startup;
    }

    /** Waits until the broker answers a describeCluster request. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                jvm.checkAlive("starting");
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        startup = Duration.ofNanos(System.nanoTime() - launchedNanos);
                        return;
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for Kafka", e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka at " + bootstrap() + " not ready after " + timeout
                            + "; log " + jvm.logFile() + " ends with:\n" + jvm.logTail(4000));
                }
                sleep(100);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        jvm.stop(Duration.ofSeconds(20));
    }
}
