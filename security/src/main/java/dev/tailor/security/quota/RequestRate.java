package dev.tailor.security.quota;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Requests per minute of each tenant on this replica: a token bucket per tenant that holds one minute's allowance
 * and refills continuously, so a tenant may burst up to its per-minute quota and then goes on at its rate.
 */
public final class RequestRate {
    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public RequestRate(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** Takes one request of {@code tenant}'s allowance; 0 when allowed, else the seconds until one is free. */
    public long acquire(String tenant, long perMinute) {
        if (perMinute <= 0) {
            return 0;
        }
        return buckets.computeIfAbsent(tenant, t -> new Bucket(perMinute, clock.getAsLong())).take(perMinute,
                clock.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(long perMinute, long now) {
            this.tokens = perMinute;
            this.last = now;
        }

        synchronized long take(long perMinute, long now) {
            tokens = Math.min(perMinute, tokens + (now - last) * (double) perMinute / MINUTE_NANOS);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            double nanosPerToken = (double) MINUTE_NANOS / perMinute;
            return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken / 1e9));
        }
    }
}
