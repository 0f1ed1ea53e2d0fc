package dev.tailor.security.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Who may call ({@code tailor.auth.*}). OIDC itself is configured with Quarkus' own {@code quarkus.oidc.*} keys
 * (issuer: {@code quarkus.oidc.auth-server-url}); API keys need nothing but the bucket every service already reads.
 */
@ConfigMapping(prefix = "tailor.auth")
public interface AuthSettings {
    /** {@code tailor.auth.tenant-claim}: the claim of an OIDC access token that names the caller's tenant. */
    @WithDefault("tailor_tenant")
    String tenantClaim();

    /**
     * {@code tailor.auth.api-key-cache-ttl}: how long a service trusts the API key record it read from S3 (and the
     * absence of one). A revoked key stops working within this time on every service.
     */
    @WithDefault("PT5S")
    Duration apiKeyCacheTtl();
}
