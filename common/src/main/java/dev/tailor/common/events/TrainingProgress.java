package dev.tailor.common.events;

import dev.tailor.common.values.Checks;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import dev.tailor.common.values.AllowedValues;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * State and metrics of a training job. Topic {@code tailor.training.progress}, key jobId. Optional metrics are
 * finite numbers; a diverged run (NaN loss) is reported as state FAILED with a message.
 *
 * @param state          one of {@link #STATES}
 * @param datasetId      the dataset the job trains on; {@code datasetVersion} its cleaned version; {@code modelId}
 *                       the model the job makes (absent in events written before they existed)
 */
@JsonClassDescription("State and metrics of a training job. Key: jobId. "
        + TailorEvent.NEW_FIELDS)
public record TrainingProgress(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String jobId,
        @NotNull @AllowedValues({TrainingProgress.QUEUED, TrainingProgress.RUNNING, TrainingProgress.SUCCEEDED,
                TrainingProgress.FAILED, TrainingProgress.CANCELLED}) String state,
        @NotNull @Min(0) int step, @NotNull @Min(0) int totalSteps, @NotNull @Min(0) int epoch,
        @DecimalMin("0") Double loss, @DecimalMin("0") Double validationLoss, @DecimalMin("0") Double learningRate,
        @DecimalMin("0") Double tokensPerSecond, @DecimalMin("0") Double etaSeconds, String message,
        @Pattern(regexp = Checks.ID_PATTERN) String datasetId,
        @Pattern(regexp = Checks.ID_PATTERN) String datasetVersion,
        @Pattern(regexp = Checks.ID_PATTERN) String modelId) implements TailorEvent {
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
        Checks.optionalId("datasetId", datasetId);
        Checks.optionalId("datasetVersion", datasetVersion);
        Checks.optionalId("modelId", modelId);
    }

    /** Progress of job {@code job} ({@link Job}: its ids), now. */
    public static TrainingProgress create(String tenant, Job job, String state, int step, int totalSteps,
                                          int epoch, Double loss, Double validationLoss, Double learningRate,
                                          Double tokensPerSecond, Double etaSeconds, String message) {
        return new TrainingProgress(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, job.jobId(),
                state, step, totalSteps, epoch, loss, validationLoss, learningRate, tokensPerSecond, etaSeconds,
                message, job.datasetId(), job.datasetVersion(), job.modelId());
    }

    /** Progress of job {@code jobId} without its dataset and model ids (as events before they existed). */
    public static TrainingProgress create(String tenant, String jobId, String state, int step, int totalSteps,
                                          int epoch, Double loss, Double validationLoss, Double learningRate,
                                          Double tokensPerSecond, Double etaSeconds, String message) {
        return create(tenant, new Job(jobId, null, null, null), state, step, totalSteps, epoch, loss, validationLoss,
                learningRate, tokensPerSecond, etaSeconds, message);
    }

    /** The ids of a training job that its progress events carry. */
    public record Job(String jobId, String datasetId, String datasetVersion, String modelId) {
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
