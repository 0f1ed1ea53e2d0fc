package dev.tailor.security.api;

import dev.tailor.security.quota.QuotaExceeded;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 without (valid) credentials, 403 for a missing role or tenant, 429/403 over a quota: in the API's own error
 * shape ({@link ErrorShape}), saying what was missing and how to get it. Never echoes a credential.
 */
public class AuthErrorMappers {
    private static final Logger LOG = Logger.getLogger(AuthErrorMappers.class);
    private static final String HOW = "send 'Authorization: Bearer <token>' with an access token of the configured"
            + " OIDC issuer or a Tailor API key (tailor keys create)";

    private final ErrorShape shape;

    public AuthErrorMappers(ErrorShape shape) {
        this.shape = shape;
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return challenge(shape.error(401, "Unauthorized", "this endpoint needs credentials: " + HOW,
                "missing_credentials"));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        String why = e.getMessage() == null || e.getMessage().isBlank() ? "the token is not valid (bad signature,"
                + " wrong issuer or audience, or expired)" : e.getMessage();
        LOG.debugf("authentication failed: %s", why);
        return challenge(shape.error(401, "Unauthorized", "the credentials were refused: " + why + "; " + HOW,
                "invalid_api_key"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        String detail = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                : "your roles do not allow this; ask an admin of your tenant for a role that does (viewer,"
                + " data-editor, trainer, inference-client, admin)";
        return shape.error(403, "Forbidden", detail, "forbidden");
    }

    @ServerExceptionMapper
    public Response quota(QuotaExceeded e) {
        Response r = shape.error(e.status(), "Quota exceeded", e.getMessage(),
                e.status() == 429 ? "rate_limit_exceeded" : "quota_exceeded");
        return e.retryAfterSeconds() > 0
                ? Response.fromResponse(r).header("Retry-After", Long.toString(e.retryAfterSeconds())).build() : r;
    }

    private static Response challenge(Response r) {
        return Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
