package dev.tailor.security.identity;

import dev.tailor.common.values.Checks;
import dev.tailor.security.config.AuthSettings;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The {@link Caller} of the current request. Application-scoped (safe to inject into singleton resources); each call
 * reads the request's identity. The tenant is the API key's, or the OIDC token's {@code tailor.auth.tenant-claim}.
 */
@ApplicationScoped
public class Callers {
    /** Identity attribute holding the tenant of an API key. */
    public static final String TENANT_ATTRIBUTE = "tailor.tenant";
    /** Identity attribute holding the key id of an API key. */
    public static final String KEY_ATTRIBUTE = "tailor.api-key";

    private final Instance<SecurityIdentity> identity;
    private final AuthSettings settings;

    public Callers(Instance<SecurityIdentity> identity, AuthSettings settings) {
        this.identity = identity;
        this.settings = settings;
    }

    /**
     * The caller of this request.
     *
     * @throws UnauthorizedException without credentials
     * @throws ForbiddenException    when a valid token names no tenant, or not a valid one
     */
    public Caller current() {
        SecurityIdentity id = identity.get();
        if (id.isAnonymous()) {
            throw new UnauthorizedException("credentials required");
        }
        return new Caller(tenantOf(id), id.getPrincipal().getName(), id.getRoles());
    }

    private String tenantOf(SecurityIdentity id) {
        String tenant = id.getAttribute(TENANT_ATTRIBUTE);
        if (tenant == null && id.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(settings.tenantClaim());
            tenant = claim == null ? null : claim.toString().replace("\"", "");
        }
        if (tenant == null) {
            throw new ForbiddenException("the token names no tenant: it needs the claim '" + settings.tenantClaim()
                    + "' (tailor.auth.tenant-claim); ask your identity provider's admin to map it");
        }
        try {
            return Checks.tenant(tenant);
        } catch (IllegalArgumentException e) {
            throw new ForbiddenException("the token's '" + settings.tenantClaim() + "' claim is not a valid tenant: "
                    + e.getMessage());
        }
    }
}
