package dev.tailor.common.quarkus;

import dev.tailor.common.storage.ObjectStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the S3 endpoint answers and the bucket exists (it is created here if still missing); DOWN with the reason
 * when S3 does not answer within {@code tailor.health.timeout} ({@link BoundedCheck}).
 */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {
    @Inject
    ObjectStore store;

    @ConfigProperty(name = "tailor.health.timeout", defaultValue = "2s")
    Duration timeout;

    @ConfigProperty(name = "tailor.health.cache", defaultValue = "1s")
    Duration cache;

    private BoundedCheck bounded;

    @PostConstruct
    void init() {
        bounded = new BoundedCheck("s3", timeout, cache, this::check);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse r = bounded.call();
        var response = HealthCheckResponse.named("s3").status(r.getStatus() == HealthCheckResponse.Status.UP)
                .withData("endpoint", store.endpoint()).withData("bucket", store.bucket());
        r.getData().ifPresent(d -> d.forEach((k, v) -> response.withData(k, String.valueOf(v))));
        return response.build();
    }

    private HealthCheckResponse check() {
        try {
            if (!store.bucketExists()) {
                store.ensureBucket();
            }
            return HealthCheckResponse.named("s3").up().build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("s3").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
