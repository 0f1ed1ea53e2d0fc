package dev.tailor.ingest.service;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.security.quota.QuotaExceeded;
import dev.tailor.security.quota.Quotas;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code tailor.quotas.storage-bytes}: what a tenant keeps under its prefix (raw uploads, cleaned versions, models,
 * checkpoints, reports) is summed before each upload, and the upload may fill only what is left.
 */
@ApplicationScoped
public class StorageQuota {
    private final ObjectStore store;
    private final Quotas quotas;

    public StorageQuota(ObjectStore store, Quotas quotas) {
        this.store = store;
        this.quotas = quotas;
    }

    /**
     * Bytes the tenant may still store.
     *
     * @throws QuotaExceeded (403) when nothing is left
     */
    public long room(String tenant) {
        long limit = quotas.of(tenant).storageBytes();
        if (limit <= 0) {
            return Long.MAX_VALUE;
        }
        long used = used(tenant);
        if (used >= limit) {
            throw new QuotaExceeded(403, "storage-bytes", "tenant '" + tenant + "' stores " + used + " bytes, its quota"
                    + " is " + limit + " (tailor.quotas.storage-bytes); delete datasets (DELETE /v1/datasets/{id}) or ask"
                    + " the operator to raise it", 0);
        }
        return limit - used;
    }

    /** The answer to an upload that did not fit in the room left. */
    public QuotaExceeded exceeded(String tenant, long received) {
        long limit = quotas.of(tenant).storageBytes();
        return new QuotaExceeded(403, "storage-bytes", "the upload does not fit in tenant '" + tenant
                + "''s storage quota of " + limit + " bytes (tailor.quotas.storage-bytes; " + used(tenant)
                + " in use, the upload had more than " + (received - 1) + "); nothing was kept: delete datasets or ask"
                + " the operator to raise the quota", 0);
    }

    private long used(String tenant) {
        return store.list(new ObjectLayout(tenant).root()).stream().mapToLong(ObjectInfo::size).sum();
    }
}
