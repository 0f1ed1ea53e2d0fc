package dev.tailor.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Serving metrics (Prometheus names in brackets), tagged {@code model} (the loaded base or full model) and
 * {@code adapter} (the served model id; the base's own name when no adapter): time to first token
 * [{@code tailor_inference_time_to_first_token_seconds}], inter-token latency
 * [{@code tailor_inference_inter_token_latency_seconds}], request duration
 * [{@code tailor_inference_request_duration_seconds}] (histograms), generated and prompt tokens
 * [{@code tailor_inference_generated_tokens_total}, {@code tailor_inference_prompt_tokens_total}: tokens/s is their
 * rate], requests by outcome [{@code tailor_inference_requests_total}], and per model the queue depth, running
 * sequences [{@code tailor_inference_queue_depth}, {@code tailor_inference_running_sequences}] and rows per decode
 * step [{@code tailor_inference_batch_size}].
 */
@ApplicationScoped
public class ServingMetrics {
    private final MeterRegistry meters;

    public ServingMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    private Timer timer(String name, String description, String model, String adapter) {
        return Timer.builder(name).description(description).tags("model", model, "adapter", adapter)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(meters);
    }

    public void firstToken(String model, String adapter, long nanos) {
        timer("tailor.inference.time.to.first.token", "request received to its first generated token", model, adapter)
                .record(Duration.ofNanos(nanos));
    }

    public void interToken(String model, String adapter, long nanos) {
        timer("tailor.inference.inter.token.latency", "time between two tokens of one sequence", model, adapter)
                .record(Duration.ofNanos(nanos));
    }

    /** A request that finished: its outcome (stop, length, cancelled, timeout, error) and token counts. */
    public void finished(String model, String adapter, String outcome, long nanos, int promptTokens, int tokens) {
        timer("tailor.inference.request.duration", "request received to last token", model, adapter)
                .record(Duration.ofNanos(nanos));
        counter("tailor.inference.requests", model, adapter, outcome).increment();
        Counter.builder("tailor.inference.generated.tokens").tags("model", model, "adapter", adapter)
                .register(meters).increment(tokens);
        Counter.builder("tailor.inference.prompt.tokens").tags("model", model, "adapter", adapter)
                .register(meters).increment(promptTokens);
    }

    /** A request refused before it ran (429 at the queue limit). */
    public void rejected(String model, String adapter) {
        counter("tailor.inference.requests", model, adapter, "rejected").increment();
    }

    private Counter counter(String name, String model, String adapter, String outcome) {
        return Counter.builder(name).tags("model", model, "adapter", adapter, "outcome", outcome).register(meters);
    }

    /** One decode step of {@code model} with {@code rows} sequences. */
    public void step(String model, int rows) {
        DistributionSummary.builder("tailor.inference.batch.size").description("sequences decoded in one step")
                .tags("model", model).publishPercentileHistogram().minimumExpectedValue(1.0)
                .maximumExpectedValue(256.0).register(meters).record(rows);
    }

    /**
     * Gauges of a model's decode loop, held strongly (a gauge of a method reference held weakly would read NaN
     * after the next GC); the returned action removes them when the loop closes.
     */
    public Runnable loop(String model, Supplier<Number> queued, Supplier<Number> running) {
        Gauge depth = Gauge.builder("tailor.inference.queue.depth", queued, s -> s.get().doubleValue())
                .description("requests waiting for a place in the batch").tags("model", model).strongReference(true)
                .register(meters);
        Gauge rows = Gauge.builder("tailor.inference.running.sequences", running, s -> s.get().doubleValue())
                .description("sequences in the batch").tags("model", model).strongReference(true).register(meters);
        return () -> {
            meters.remove(depth);
            meters.remove(rows);
        };
    }
}
