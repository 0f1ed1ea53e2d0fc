package dev.tailor.security.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Turns quarkus-oidc on exactly when an issuer is configured ({@code quarkus.oidc.auth-server-url}): with one,
 * bearer tokens of that issuer are accepted besides API keys; without one (the demo, docker compose) only API keys
 * are, instead of the service refusing to start. An explicit {@code quarkus.oidc.tenant-enabled} wins.
 */
@Priority(Priorities.APPLICATION + 100)
public final class OidcSwitch implements ConfigSourceInterceptor {
    static final String ENABLED = "quarkus.oidc.tenant-enabled";
    static final String ISSUER = "quarkus.oidc.auth-server-url";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!ENABLED.equals(name) || (value != null && value.getConfigSourceOrdinal() > Integer.MIN_VALUE)) {
            return value;
        }
        ConfigValue issuer = context.proceed(ISSUER);
        boolean on = issuer != null && issuer.getValue() != null && !issuer.getValue().isBlank();
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(on))
                .withConfigSourceName("tailor-security (issuer configured: " + on + ")").build();
    }
}
