package dev.tailor.testkit;

import dev.tailor.localstack.LocalInfra;
import dev.tailor.common.storage.ObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Kafka and S3 for {@code @QuarkusTest}s: {@code @QuarkusTestResource(TailorInfraResource.class)}. One
 * infrastructure per JVM, shared by every test class and stopped when the JVM exits. By default a real broker and
 * s3proxy run as child JVMs ({@link LocalInfra}); with {@code -Dtailor.infra=testcontainers} or
 * {@code TAILOR_INFRA=testcontainers} (needs Docker) Kafka and MinIO containers are started instead.
 * Config returned: {@code kafka.bootstrap.servers}, {@code tailor.storage.*}, the {@link TestIssuer}'s
 * {@code quarkus.oidc.auth-server-url} (authentication stays on in tests), dev services off.
 */
public final class TailorInfraResource implements QuarkusTestResourceLifecycleManager {
    public static final String MODE_PROPERTY = "tailor.infra";
    public static final String MODE_ENV = "TAILOR_INFRA";
    private static final String SHARED_PROPERTY = "tailor.testkit.shared-infra";
    private static final String PIDS_PROPERTY = "tailor.testkit.server-pids";
    private static Map<String, String> config;
    private static ObjectStore store;

    @Override
    public Map<String, String> start() {
        return config();
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; the JVM's exit stops it
    }

    /**
     * The configuration of the shared infrastructure, starting it on first use. Quarkus may load this class in more
     * than one class loader (one per test profile); the started configuration is kept in a system property so that
     * every class loader of the JVM shares the same servers.
     */
    public static synchronized Map<String, String> config() {
        if (config == null) {
            synchronized (System.class) {
                String shared = System.getProperty(SHARED_PROPERTY);
                if (shared == null) {
                    Map<String, String> c = new LinkedHashMap<>(testcontainers()
                            ? TestcontainersInfra.shared().quarkusConfig() : LocalInfra.shared().quarkusConfigWithCredentials());
                    c.putAll(TestIssuer.shared().quarkusConfig());
                    if (!testcontainers()) {
                        List<Long> pids = LocalInfra.shared().pids();
                        System.setProperty(PIDS_PROPERTY, pids.get(0) + "," + pids.get(1));
                    }
                    c.put("quarkus.devservices.enabled", "false");
                    c.put("quarkus.kafka.devservices.enabled", "false");
                    shared = encode(c);
                    System.setProperty(SHARED_PROPERTY, shared);
                }
                config = decode(shared);
            }
        }
        return config;
    }

    private static String encode(Map<String, String> map) {
        Properties props = new Properties();
        props.putAll(map);
        StringWriter out = new StringWriter();
        try {
            props.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, String> decode(String text) {
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return Map.copyOf(map);
    }

    /**
     * {@link #config()} without the S3 credentials: the system properties of a service started as a process (its
     * command line is readable by every local user); give it {@link #credentialsEnv()} as its environment.
     */
    public static Map<String, String> processConfig() {
        Map<String, String> c = new LinkedHashMap<>(config());
        c.remove("tailor.storage.access-key");
        c.remove("tailor.storage.secret-key");
        return c;
    }

    /** The S3 credentials as environment variables of a service process. */
    public static Map<String, String> credentialsEnv() {
        return Map.of("TAILOR_STORAGE_ACCESS_KEY", config().get("tailor.storage.access-key"),
                "TAILOR_STORAGE_SECRET_KEY", config().get("tailor.storage.secret-key"));
    }

    /** {@code kafka.bootstrap.servers} of the shared infrastructure, e.g. for a {@link KafkaTestClient}. */
    public static String kafkaBootstrap() {
        return config().get("kafka.bootstrap.servers");
    }

    /**
     * The process of the shared Kafka broker, for tests that inject faults (SIGSTOP, SIGCONT); empty with
     * Testcontainers.
     */
    public static Optional<ProcessHandle> kafkaProcess() {
        return serverProcess(0);
    }

    /** The process of the shared S3 server (s3proxy), for tests that inject faults; empty with Testcontainers. */
    public static Optional<ProcessHandle> s3Process() {
        return serverProcess(1);
    }

    private static Optional<ProcessHandle> serverProcess(int index) {
        config();
        String pids = System.getProperty(PIDS_PROPERTY);
        return pids == null ? Optional.empty() : ProcessHandle.of(Long.parseLong(pids.split(",")[index]));
    }

    /** A store on the shared infrastructure's bucket. */
    public static synchronized ObjectStore objectStore() {
        if (store == null) {
            Map<String, String> c = config();
            store = new ObjectStore(c.get("tailor.storage.endpoint"), c.get("tailor.storage.access-key"),
                    c.get("tailor.storage.secret-key"), c.get("tailor.storage.bucket"), c.get("tailor.storage.region"));
        }
        return store;
    }

    static boolean testcontainers() {
        String mode = System.getProperty(MODE_PROPERTY, System.getenv().getOrDefault(MODE_ENV, "local"));
        return "testcontainers".equals(mode.trim().toLowerCase(Locale.ROOT));
    }
}
