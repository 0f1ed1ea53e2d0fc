package dev.tailor.common.quarkus;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the Kafka cluster describes itself within {@code tailor.health.timeout}; DOWN with the reason otherwise
 * ({@link BoundedCheck}). Replaces Quarkus's own Kafka check ({@code quarkus.kafka.health.enabled=false}), which waits
 * for the admin client's default timeout (60 s) while the broker is stalled. Uses the application's Kafka settings
 * (the {@code default-kafka-broker} map: bootstrap servers, security).
 */
@Readiness
@ApplicationScoped
public class KafkaHealthCheck implements HealthCheck {
    private static final String NAME = "kafka";

    @Inject
    @Identifier("default-kafka-broker")
    Instance<Map<String, Object>> kafkaConfig;

    @ConfigProperty(name = "tailor.health.timeout", defaultValue = "2s")
    Duration timeout;

    @ConfigProperty(name = "tailor.health.cache", defaultValue = "1s")
    Duration cache;

    private BoundedCheck bounded;
    private Admin admin;

    @PostConstruct
    void init() {
        bounded = new BoundedCheck(NAME, timeout, cache, this::check);
    }

    @Override
    public HealthCheckResponse call() {
        if (!kafkaConfig.isResolvable()) {
            return HealthCheckResponse.named(NAME).up().withData("note", "this application uses no Kafka").build();
        }
        return bounded.call();
    }

    private HealthCheckResponse check() {
        int ms = (int) timeout.toMillis();
        var nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes();
        try {
            String found = nodes.get(ms, TimeUnit.MILLISECONDS).stream().map(n -> n.host() + ":" + n.port())
                    .collect(Collectors.joining(","));
            return HealthCheckResponse.named(NAME).up().withData("nodes", found).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named(NAME).down().withData("error", "interrupted").build();
        } catch (java.util.concurrent.TimeoutException e) {
            return stalled(ms);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                return stalled(ms);
            }
            return HealthCheckResponse.named(NAME).down().withData("error", cause.getClass().getSimpleName() + ": "
                    + cause.getMessage()).build();
        }
    }

    private static HealthCheckResponse stalled(int ms) {
        return HealthCheckResponse.named(NAME).down().withData("error", "no answer within " + ms
                + " ms: the broker is stalled or unreachable").build();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(kafkaConfig.get());
            int ms = (int) timeout.toMillis();
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tailor-health");
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
