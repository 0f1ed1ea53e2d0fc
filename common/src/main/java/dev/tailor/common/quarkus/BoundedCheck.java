package dev.tailor.common.quarkus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A health check that answers within its deadline whatever its dependency does: the check runs on its own thread,
 * a caller waits at most {@code deadline} (then the answer is DOWN with the reason), at most one check is in flight
 * (a stalled one is not started again by every probe), and a result is reused for {@code cacheFor} so that probes do
 * not pile up.
 */
public final class BoundedCheck {
    private final String name;
    private final Duration deadline;
    private final Duration cacheFor;
    private final Supplier<HealthCheckResponse> check;
    private final ExecutorService executor;
    private CompletableFuture<HealthCheckResponse> inFlight;
    private long startedNanos;
    private HealthCheckResponse last;
    private long lastNanos;

    public BoundedCheck(String name, Duration deadline, Duration cacheFor, Supplier<HealthCheckResponse> check) {
        if (deadline.isNegative() || deadline.isZero() || cacheFor.isNegative()) {
            throw new IllegalArgumentException("a health check needs a positive deadline and a cache time of 0 or more");
        }
        this.name = name;
        this.deadline = deadline;
        this.cacheFor = cacheFor;
        this.check = check;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The check's answer, within the deadline. */
    public HealthCheckResponse call() {
        CompletableFuture<HealthCheckResponse> future;
        long started;
        synchronized (this) {
            long now = System.nanoTime();
            if (last != null && now - lastNanos < cacheFor.toNanos()) {
                return last;
            }
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(check, executor);
                startedNanos = now;
            }
            future = inFlight;
            started = startedNanos;
        }
        HealthCheckResponse result;
        long waited = System.nanoTime() - started;
        try {
            result = future.get(Math.max(0, deadline.toNanos() - waited), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            result = HealthCheckResponse.named(name).down().withData("error", "no answer within "
                    + deadline.toMillis() + " ms (waiting for " + seconds + " s): the dependency is stalled or"
                    + " unreachable").build();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            result = HealthCheckResponse.named(name).down().withData("error", cause.getClass().getSimpleName() + ": "
                    + cause.getMessage()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = HealthCheckResponse.named(name).down().withData("error", "interrupted").build();
        }
        synchronized (this) {
            last = result;
            lastNanos = System.nanoTime();
        }
        return result;
    }
}
