package dev.tailor.security.quota;

/**
 * A tenant asked for more than its quota. Answered with {@link #status()} (429 for rates and concurrent jobs,
 * 403 for storage) in the API's error shape.
 *
 * @see dev.tailor.security.api.AuthErrorMappers
 */
public final class QuotaExceeded extends RuntimeException {
    private final int status;
    private final String quota;
    private final long retryAfterSeconds;

    /**
     * @param quota             which quota, e.g. {@code requests-per-minute}
     * @param retryAfterSeconds when trying again may work (sent as Retry-After), or 0 when waiting will not help
     */
    public QuotaExceeded(int status, String quota, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.quota = quota;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String quota() {
        return quota;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
