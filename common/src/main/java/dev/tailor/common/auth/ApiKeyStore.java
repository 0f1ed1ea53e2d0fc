package dev.tailor.common.auth;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API key records in S3 ({@link ObjectLayout#apiKey}): written by the admin API and {@code tailor keys}, read by
 * every service (which caches them for seconds). Plain Java: the CLI uses it too.
 */
public final class ApiKeyStore {
    private final ObjectStore store;

    public ApiKeyStore(ObjectStore store) {
        this.store = store;
    }

    /** Makes a key, stores its record, and returns both: the key's value is never available again. */
    public Created create(String tenant, String name, Set<String> roles, String createdBy, Instant expiresAt) {
        ApiKey key = ApiKey.generate();
        ApiKeyRecord record = ApiKeyRecord.of(key, tenant, name, roles, createdBy, expiresAt);
        store.putJson(ObjectLayout.apiKey(key.keyId()), record);
        return new Created(key, record);
    }

    /** A new key and its record. */
    public record Created(ApiKey key, ApiKeyRecord record) {
    }

    public Optional<ApiKeyRecord> find(String keyId) {
        String object = ObjectLayout.apiKey(keyId);
        return store.exists(object) ? Optional.of(store.getJson(object, ApiKeyRecord.class)) : Optional.empty();
    }

    /** The records of a tenant's keys, newest first (revoked and expired ones included). */
    public List<ApiKeyRecord> list(String tenant) {
        return store.list(ObjectLayout.apiKeysRoot()).stream().map(ObjectInfo::key).filter(k -> k.endsWith(".json"))
                .map(k -> store.getJson(k, ApiKeyRecord.class)).filter(r -> r.tenant().equals(tenant))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).reversed()).toList();
    }

    /** Revokes a key of {@code tenant}; empty when the tenant has no such key (another tenant's key is not found). */
    public Optional<ApiKeyRecord> revoke(String tenant, String keyId, String by) {
        Optional<ApiKeyRecord> found = find(keyId).filter(r -> r.tenant().equals(tenant));
        return found.map(r -> {
            ApiKeyRecord revoked = r.revokedAt() != null ? r : r.revoked(Instant.now(), by);
            store.putJson(ObjectLayout.apiKey(keyId), revoked);
            return revoked;
        });
    }
}
