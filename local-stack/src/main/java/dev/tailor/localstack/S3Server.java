package dev.tailor.localstack;

import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * s3proxy in a child JVM: objects are files under {@code dir/data}, AWS v2/v4 signatures with the keys it gets in its
 * environment ({@code S3ServerMain}'s {@code TAILOR_S3_ACCESS_KEY}, {@code TAILOR_S3_SECRET_KEY}), never its arguments.
 */
final class S3Server implements AutoCloseable {
    static final List<String> JVM_ARGS = List.of("-Xmx256m", "-Xms32m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true");

    private final ChildJvm jvm;
    private final int port;
    private final long launchedNanos = System.nanoTime();
    private Duration startup;

    private S3Server(ChildJvm jvm, int port) {
        this.jvm = jvm;
        this.port = port;
    }

    static S3Server launch(Path dir, int port, String accessKey, String secretKey) {
        ChildJvm jvm = ChildJvm.startWatched("s3", JVM_ARGS, ServerClasspath.of("s3-server"),
                "dev.tailor.localstack.s3.S3ServerMain",
                List.of(Integer.toString(port), dir.resolve("data").toString()),
                Map.of("TAILOR_S3_ACCESS_KEY", accessKey, "TAILOR_S3_SECRET_KEY", secretKey),
                dir.resolve("s3.log"));
        return new S3Server(jvm, port);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    ChildJvm jvm() {
        return jvm;
    }

    Duration startup() {
        return startup;
    }

    /** Waits until the server answers, and creates {@code store}'s bucket. */
    void awaitReady(ObjectStore store, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            jvm.checkAlive("starting");
            try {
                store.ensureBucket();
                startup = Duration.ofNanos(System.nanoTime() - launchedNanos);
                return;
            } catch (StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy at " + endpoint() + " not ready after " + timeout + ": "
                            + e.getMessage() + "; log " + jvm.logFile() + " ends with:\n" + jvm.logTail(4000), e);
                }
            }
            KafkaServer.sleep(100);
        }
    }

    @Override
    public void close() {
        jvm.stop(Duration.ofSeconds(10));
    }
}
