package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;

/**
 * A rating of a logged completion, optionally with the answer it should have given. Topic
 * {@code tailor.completions.feedback}, key completionId. Corrected and well-rated answers become training examples
 * of the model's dataset, marked for review.
 *
 * @param completion      s3 URI of the logged completion ({@code completions/{completionId}.json})
 * @param rating          1 (bad) to 5 (good)
 * @param correctedAnswer the answer a user or reviewer wrote instead, PII redacted; null when none
 */
@JsonClassDescription("A rating (1-5) of a logged completion, optionally with a corrected answer. Key: completionId. "
        + TailorEvent.NEW_FIELDS)
public record CompletionFeedback(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN) String completionId,
        @NotNull @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the logged completion") String completion,
        @NotBlank String alias, @NotBlank String modelId,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("the dataset the answering model was trained on, when known") String datasetId,
        @Min(1) @Max(5) @JsonPropertyDescription("1 (bad) to 5 (good)") int rating,
        @JsonPropertyDescription("the answer it should have given, PII redacted; left out: none") String correctedAnswer)
        implements TailorEvent {

    /** Lowest rating whose answer is kept as a training example without correction. */
    public static final int WELL_RATED = 4;

    public CompletionFeedback {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("completionId", completionId);
        Checks.s3Uri("completion", completion);
        Checks.notBlank("alias", alias);
        Checks.notBlank("modelId", modelId);
        Checks.optionalId("datasetId", datasetId);
        Checks.between("rating", rating, 1, 5, " (1 = bad, 5 = good)");
        Checks.optionalNotBlank("correctedAnswer", correctedAnswer);
    }

    public static CompletionFeedback create(String tenant, String completionId, String completion, String alias,
                                            String modelId, String datasetId, int rating, String correctedAnswer) {
        return new CompletionFeedback(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant,
                completionId, completion, alias, modelId, datasetId, rating, correctedAnswer);
    }

    /** Whether this feedback makes a training example: a corrected answer, or a well-rated one. */
    public boolean makesExample() {
        return correctedAnswer != null || rating >= WELL_RATED;
    }

    @Override
    public String key() {
        return completionId;
    }
}
