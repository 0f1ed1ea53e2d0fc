package dev.tailor.security.quota;

/**
 * The quotas of one tenant; 0 means no limit.
 *
 * @param requestsPerMinute API requests per minute and replica
 * @param storageBytes      bytes kept in the bucket under the tenant's prefix
 * @param trainingJobs      training jobs queued or running at once
 */
public record TenantLimits(long requestsPerMinute, long storageBytes, int trainingJobs) {
    public TenantLimits {
        if (requestsPerMinute < 0 || storageBytes < 0 || trainingJobs < 0) {
            throw new IllegalArgumentException("quotas must be 0 (no limit) or more, got " + requestsPerMinute + ", "
                    + storageBytes + ", " + trainingJobs);
        }
    }
}
