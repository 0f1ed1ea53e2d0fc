package dev.tailor.common.quarkus;

import dev.tailor.common.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the S3 endpoint answers and the bucket exists (it is created here if still missing). */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {
    @Inject
    ObjectStore store;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("s3").withData("endpoint", store.endpoint())
                .withData("bucket", store.bucket());
        try {
            if (!store.bucketExists()) {
                store.ensureBucket();
            }
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
