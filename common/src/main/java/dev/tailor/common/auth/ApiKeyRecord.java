package dev.tailor.common.auth;

import dev.tailor.common.values.Checks;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What Tailor keeps of an API key ({@code _system/api-keys/{keyId}.json}): never the key itself, only its SHA-256.
 *
 * @param keyId     the key's public identifier
 * @param tenant    the one tenant the key acts for
 * @param name      what the key is for, e.g. "support-bot"
 * @param roles     the roles it grants (see {@link Roles})
 * @param sha256    SHA-256 of the whole key, lowercase hex
 * @param createdAt when it was made
 * @param createdBy who made it (an OIDC subject, apikey:&lt;keyId&gt;, or cli:bootstrap)
 * @param expiresAt after this instant the key is refused
 * @param revokedAt when it was revoked, or null
 * @param revokedBy who revoked it, or null
 */
public record ApiKeyRecord(String keyId, String tenant, String name, Set<String> roles, String sha256,
                           Instant createdAt, String createdBy, Instant expiresAt, Instant revokedAt,
                           String revokedBy) {
    public ApiKeyRecord {
        Checks.id("keyId", keyId);
        Checks.tenant(tenant);
        Checks.notBlank("name", name);
        if (name.length() > 100) {
            throw new IllegalArgumentException("name must be at most 100 characters, got " + name.length());
        }
        roles = Roles.require(roles);
        Checks.sha256("sha256", sha256);
        Objects.requireNonNull(createdAt, "createdAt is required");
        Checks.notBlank("createdBy", createdBy);
        Objects.requireNonNull(expiresAt, "expiresAt is required: every key expires");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt, got " + expiresAt);
        }
    }

    /** The record of a new key. */
    public static ApiKeyRecord of(ApiKey key, String tenant, String name, Set<String> roles, String createdBy,
                                  Instant expiresAt) {
        return new ApiKeyRecord(key.keyId(), tenant, name, roles, key.sha256(), Instant.now(), createdBy, expiresAt,
                null, null);
    }

    /** Whether the key may be used at {@code now}: not revoked, not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    public ApiKeyRecord revoked(Instant at, String by) {
        return new ApiKeyRecord(keyId, tenant, name, roles, sha256, createdAt, createdBy, expiresAt, at, by);
    }

    /** {@code apikey:<keyId>}: the principal of requests made with this key. */
    public String principal() {
        return principalOf(keyId);
    }

    public static String principalOf(String keyId) {
        return "apikey:" + keyId;
    }
}
