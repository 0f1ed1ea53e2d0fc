package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * A model a deployment serves: a base model as it is ({@code adapter} null, {@code modelId} = the base's name), or a
 * tuned model (its adapter on its base).
 *
 * @param datasetId the dataset the tuned model was trained on, when known
 */
@JsonClassDescription("A model a deployment serves: a base model as it is, or a tuned adapter on its base.")
public record DeploymentTarget(
        @NotBlank String modelId, @NotBlank String baseModel,
        @Pattern(regexp = Checks.S3_URI_PATTERN)
        @JsonPropertyDescription("s3 URI of the tuned adapter; left out: the base model as it is") String adapter,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("dataset the tuned model was trained on, when known") String datasetId) {

    public DeploymentTarget {
        Checks.notBlank("modelId", modelId);
        Checks.notBlank("baseModel", baseModel);
        Checks.optionalS3Uri("adapter", adapter);
        Checks.optionalId("datasetId", datasetId);
    }
}
