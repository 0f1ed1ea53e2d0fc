package dev.tailor.security.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tailor.common.auth.ApiKeyRecord;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.security.config.AuthSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * API key records as this service sees them: read from S3 and kept for {@code tailor.auth.api-key-cache-ttl} (unknown
 * keys too, so that made-up keys do not cost an S3 request each), so a key revoked through any service stops working
 * on every service within that time.
 */
@ApplicationScoped
public class ApiKeyRecords {
    private final ApiKeyStore store;
    private final Cache<String, Optional<ApiKeyRecord>> cache;

    public ApiKeyRecords(ObjectStore objects, AuthSettings settings) {
        this.store = new ApiKeyStore(objects);
        this.cache = Caffeine.newBuilder().expireAfterWrite(settings.apiKeyCacheTtl()).maximumSize(100_000).build();
    }

    /** The record of {@code keyId} (blocking: may read S3). */
    public Optional<ApiKeyRecord> find(String keyId) {
        return cache.get(keyId, store::find);
    }

    /** The store itself, for the admin API (writes go straight to S3). */
    public ApiKeyStore store() {
        return store;
    }

    /** Forgets what this replica cached of a key (after this replica changed it). */
    public void forget(String keyId) {
        cache.invalidate(keyId);
    }
}
