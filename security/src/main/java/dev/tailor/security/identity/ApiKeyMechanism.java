package dev.tailor.security.identity;

import dev.tailor.common.auth.ApiKey;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code Authorization: Bearer tlr_…}: a Tailor API key (what OpenAI clients send as their {@code apiKey}). Runs
 * before quarkus-oidc's bearer mechanism and takes only tokens with the key prefix; any other bearer token is left
 * to OIDC (a JWT from the configured issuer).
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {
    private static final String BEARER = "bearer ";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = header.substring(BEARER.length()).strip();
        if (!ApiKey.looksLikeKey(token)) {
            return Uni.createFrom().nullItem();
        }
        return ApiKey.parse(token)
                .map(key -> identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key),
                        context)))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException(
                        "malformed API key: Tailor keys look like tlr_<16 hex digits>_<43 characters>")));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    /** Before OIDC's bearer mechanism (which has the default priority + 1). */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
