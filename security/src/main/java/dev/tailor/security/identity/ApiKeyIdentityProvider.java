package dev.tailor.security.identity;

import dev.tailor.common.auth.ApiKeyRecord;
import dev.tailor.common.auth.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * Checks a presented API key against its record (SHA-256, constant-time), expiry and revocation. The identity's
 * principal is {@code apikey:<keyId>}, its roles those of the key (with what they imply), its tenant the key's.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {
    private final ApiKeyRecords records;

    public ApiKeyIdentityProvider(ApiKeyRecords records) {
        this.records = records;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            ApiKeyRecord record = records.find(request.key().keyId())
                    .filter(r -> request.key().matches(r.sha256()))
                    .orElseThrow(() -> new AuthenticationFailedException("unknown API key "
                            + ApiKeyRecord.principalOf(request.key().keyId())));
            if (record.revokedAt() != null) {
                throw new AuthenticationFailedException("API key " + record.principal() + " was revoked at "
                        + record.revokedAt());
            }
            if (!record.activeAt(Instant.now())) {
                throw new AuthenticationFailedException("API key " + record.principal() + " expired at "
                        + record.expiresAt());
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(record.principal()))
                    .addRoles(Roles.withImplied(record.roles()))
                    .addAttribute(Callers.TENANT_ATTRIBUTE, record.tenant())
                    .addAttribute(Callers.KEY_ATTRIBUTE, record.keyId())
                    .build();
        });
    }
}
