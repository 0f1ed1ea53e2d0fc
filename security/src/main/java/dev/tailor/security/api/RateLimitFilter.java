package dev.tailor.security.api;

import dev.tailor.security.identity.Callers;
import dev.tailor.security.quota.QuotaExceeded;
import dev.tailor.security.quota.Quotas;
import dev.tailor.security.quota.RequestRate;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * {@code tailor.quotas.requests-per-minute} per tenant on every authenticated API request: beyond it, 429 with
 * Retry-After. Requests without valid credentials pass through to the security checks (401).
 */
@ApplicationScoped
public class RateLimitFilter {
    private final CurrentIdentityAssociation identities;
    private final Quotas quotas;
    private final Callers callers;
    private final RequestRate rate = new RequestRate(System::nanoTime);

    public RateLimitFilter(CurrentIdentityAssociation identities, Quotas quotas, Callers callers) {
        this.identities = identities;
        this.quotas = quotas;
        this.callers = callers;
    }

    @ServerRequestFilter
    public Uni<Void> limit() {
        return identities.getDeferredIdentity().onFailure().recoverWithNull().invoke(this::take).replaceWithVoid();
    }

    private void take(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return;
        }
        String tenant = identity.getAttribute(Callers.TENANT_ATTRIBUTE);
        if (tenant == null && identity.getPrincipal() instanceof JsonWebToken) {
            try {
                tenant = callers.current().tenant();
            } catch (RuntimeException noTenant) {
                return; // the endpoint answers 403 for it
            }
        }
        if (tenant == null) {
            return;
        }
        long perMinute = quotas.of(tenant).requestsPerMinute();
        long wait = rate.acquire(tenant, perMinute);
        if (wait > 0) {
            throw new QuotaExceeded(429, "requests-per-minute", "tenant '" + tenant + "' made more than " + perMinute
                    + " requests in the last minute (tailor.quotas.requests-per-minute); retry in " + wait + " s", wait);
        }
    }
}
