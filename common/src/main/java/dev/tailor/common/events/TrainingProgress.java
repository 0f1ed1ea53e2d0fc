package dev.tailor.common.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * State and metrics of a training job. Topic {@code tailor.training.progress}, key jobId. Optional metrics are
 * finite numbers; a diverged run (NaN loss) is reported as state FAILED with a message.
 *
 * @param state one of {@link #STATES}
 */
public record TrainingProgress(String eventId, int schemaVersion, Instant occurredAt, String tenant,
                               String jobId, String state, int step, int totalSteps, int epoch, Double loss,
                               Double validationLoss, Double learningRate, Double tokensPerSecond,
                               Double etaSeconds, String message) implements TailorEvent {
    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";
    public static final List<String> STATES = List.of(QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED);

    public TrainingProgress {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("jobId", jobId);
        Checks.oneOf("state", state, STATES);
        Checks.nonNegative("step", step);
        Checks.nonNegative("totalSteps", totalSteps);
        Checks.nonNegative("epoch", epoch);
        Checks.optionalNonNegative("loss", loss);
        Checks.optionalNonNegative("validationLoss", validationLoss);
        Checks.optionalNonNegative("learningRate", learningRate);
        Checks.optionalNonNegative("tokensPerSecond", tokensPerSecond);
        Checks.optionalNonNegative("etaSeconds", etaSeconds);
    }

    public static TrainingProgress create(String tenant, String jobId, String state, int step, int totalSteps,
                                          int epoch, Double loss, Double validationLoss, Double learningRate,
                                          Double tokensPerSecond, Double etaSeconds, String message) {
        return new TrainingProgress(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, jobId,
                state, step, totalSteps, epoch, loss, validationLoss, learningRate, tokensPerSecond, etaSeconds,
                message);
    }

    /** Whether the job has reached an end state (SUCCEEDED, FAILED or CANCELLED). */
    public boolean terminal() {
        return SUCCEEDED.equals(state) || FAILED.equals(state) || CANCELLED.equals(state);
    }

    @Override
    public String key() {
        return jobId;
    }
}
