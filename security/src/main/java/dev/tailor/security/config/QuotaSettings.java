package dev.tailor.security.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Per-tenant quotas ({@code tailor.quotas.*}): the defaults below apply to every tenant, and
 * {@code tailor.quotas.tenants."<tenant>".<key>} overrides one of them for one tenant. 0 means no limit.
 */
@ConfigMapping(prefix = "tailor.quotas")
public interface QuotaSettings {
    /** {@code tailor.quotas.requests-per-minute}: API requests a tenant may make per minute, on each replica. */
    @WithDefault("600")
    long requestsPerMinute();

    /** {@code tailor.quotas.storage-bytes}: bytes a tenant may keep in the bucket (uploads are refused beyond). */
    @WithDefault("10737418240")
    long storageBytes();

    /** {@code tailor.quotas.training-jobs}: training jobs a tenant may have queued or running at once. */
    @WithDefault("2")
    int trainingJobs();

    /** Overrides per tenant. */
    Map<String, TenantOverride> tenants();

    /** What one tenant gets instead of the defaults; keys left out keep the default. */
    interface TenantOverride {
        OptionalLong requestsPerMinute();

        OptionalLong storageBytes();

        OptionalInt trainingJobs();
    }
}
