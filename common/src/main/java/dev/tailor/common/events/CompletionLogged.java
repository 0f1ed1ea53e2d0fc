package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A completion served through a deployment that logs its completions (opt-in per deployment): the conversation, the
 * answer, who answered and how fast, personal data redacted. Topic {@code tailor.completions.logged}, key
 * completionId. Unlike the pipeline's events it carries text: it is the record that feedback refers to.
 *
 * @param messages the conversation sent (a text completion: one user message with the prompt)
 */
@JsonClassDescription("A completion served through a deployment that logs completions (opt-in): conversation, answer,"
        + " model and latency, personal data redacted. Key: completionId. " + TailorEvent.NEW_FIELDS)
public record CompletionLogged(
        @NotBlank @JsonPropertyDescription("random UUID, unique per event (also the CloudEvents id)") String eventId,
        @NotNull @Min(1) @JsonPropertyDescription("version of this schema the event was written with")
        int schemaVersion,
        @NotNull @JsonPropertyDescription("ISO-8601 instant") Instant occurredAt,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN)
        @JsonPropertyDescription("tenant owning the data; first segment of every object key") String tenant,
        @NotNull @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("the id of the OpenAI response (chatcmpl-…, cmpl-…)") String completionId,
        @NotBlank @JsonPropertyDescription("the deployment (alias) the request named") String alias,
        @NotBlank @JsonPropertyDescription("the model that answered") String modelId,
        @NotBlank String baseModel,
        @Pattern(regexp = Checks.ID_PATTERN)
        @JsonPropertyDescription("the dataset the answering model was trained on, when known") String datasetId,
        @NotNull @JsonPropertyDescription("the conversation, PII redacted") List<Message> messages,
        @NotNull @JsonPropertyDescription("the answer, PII redacted") String answer,
        @NotBlank String finishReason,
        @Min(0) int promptTokens, @Min(0) int completionTokens,
        @Min(0) @JsonPropertyDescription("request received to answer complete, milliseconds") long latencyMs,
        @Min(0) @JsonPropertyDescription("request received to first token, milliseconds") long timeToFirstTokenMs,
        @Min(0) @JsonPropertyDescription("personal data items replaced by placeholders") long redactions)
        implements TailorEvent {

    /** One message of the logged conversation. */
    public record Message(@NotBlank String role, @NotNull String content) {
        public Message {
            Checks.notBlank("role", role);
            Objects.requireNonNull(content, "content is required");
        }
    }

    public CompletionLogged {
        Checks.envelope(eventId, schemaVersion, occurredAt, tenant);
        Checks.id("completionId", completionId);
        Checks.notBlank("alias", alias);
        Checks.notBlank("modelId", modelId);
        Checks.notBlank("baseModel", baseModel);
        Checks.optionalId("datasetId", datasetId);
        messages = List.copyOf(Objects.requireNonNull(messages, "messages are required"));
        Objects.requireNonNull(answer, "answer is required");
        Checks.notBlank("finishReason", finishReason);
        Checks.nonNegative("promptTokens", promptTokens);
        Checks.nonNegative("completionTokens", completionTokens);
        Checks.nonNegative("latencyMs", latencyMs);
        Checks.nonNegative("timeToFirstTokenMs", timeToFirstTokenMs);
        Checks.nonNegative("redactions", redactions);
    }

    public static CompletionLogged create(String tenant, String completionId, String alias, DeploymentTarget model,
                                          List<Message> messages, String answer, String finishReason,
                                          int promptTokens, int completionTokens, long latencyMs,
                                          long timeToFirstTokenMs, long redactions) {
        return new CompletionLogged(UUID.randomUUID().toString(), SCHEMA_VERSION, Instant.now(), tenant, completionId,
                alias, model.modelId(), model.baseModel(), model.datasetId(), messages, answer, finishReason,
                promptTokens, completionTokens, latencyMs, timeToFirstTokenMs, redactions);
    }

    @Override
    public String key() {
        return completionId;
    }
}
