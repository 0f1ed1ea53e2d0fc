package dev.tailor.security.quota;

import dev.tailor.security.config.QuotaSettings;
import jakarta.enterprise.context.ApplicationScoped;

/** The quotas of each tenant: {@code tailor.quotas.*}, with a tenant's own overrides. */
@ApplicationScoped
public class Quotas {
    private final QuotaSettings settings;

    public Quotas(QuotaSettings settings) {
        this.settings = settings;
    }

    public TenantLimits of(String tenant) {
        QuotaSettings.TenantOverride o = settings.tenants().get(tenant);
        if (o == null) {
            return new TenantLimits(settings.requestsPerMinute(), settings.storageBytes(), settings.trainingJobs());
        }
        return new TenantLimits(o.requestsPerMinute().orElse(settings.requestsPerMinute()),
                o.storageBytes().orElse(settings.storageBytes()), o.trainingJobs().orElse(settings.trainingJobs()));
    }
}
