package dev.tailor.security.identity;

import dev.tailor.common.auth.ApiKey;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A request that presented a Tailor API key as its bearer token. */
public final class ApiKeyRequest extends BaseAuthenticationRequest {
    private final ApiKey key;

    public ApiKeyRequest(ApiKey key) {
        this.key = key;
    }

    public ApiKey key() {
        return key;
    }
}
