package dev.tailor.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI API response shapes (snake_case on the wire; nullable fields are written as null like OpenAI does). */
public final class OpenAiDtos {
    private OpenAiDtos() {
    }

    public record ModelList(String object, List<Model> data) {
    }

    /** Answer to {@code DELETE /v1/models/{id}}: OpenAI's shape, plus the aliases undeployed first. */
    public record ModelDeleted(String id, String object, boolean deleted, List<String> undeployed,
                               @JsonProperty("objects_deleted") int objectsDeleted) {
    }

    /**
     * OpenAI's model object; Tailor adds where the model comes from (left out when unknown): {@code kind} (base,
     * tuned, alias), {@code base_model}, {@code adapter}, {@code dataset_id}, {@code dataset_version},
     * {@code eval_verdict}, {@code eval_reason}, for a tuned model its training {@code params} and
     * {@code dataset_erased} (true once the dataset it was trained on was erased: retire it), {@code served} (false for
     * a tuned model only in S3, listed with {@code ?all=true}), and for an alias the models it routes to.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                        String kind, @JsonProperty("base_model") String baseModel, String adapter,
                        @JsonProperty("dataset_id") String datasetId,
                        @JsonProperty("dataset_version") String datasetVersion,
                        @JsonProperty("eval_verdict") String evalVerdict,
                        @JsonProperty("eval_reason") String evalReason, String target,
                        @JsonProperty("canary") String canary, @JsonProperty("canary_percent") Integer canaryPercent,
                        com.fasterxml.jackson.databind.JsonNode params,
                        @JsonProperty("dataset_erased") Boolean datasetErased, boolean served) {
    }

    /** A deployment: what {@code alias} serves ({@code /v1/deployments}). */
    public record Deployment(String object, String alias, String model, @JsonProperty("base_model") String baseModel,
                             String adapter, @JsonProperty("dataset_id") String datasetId, Canary canary,
                             List<Target> history, @JsonProperty("gate_override") String gateOverride,
                             @JsonProperty("log_completions") boolean logCompletions,
                             @JsonProperty("updated_at") long updatedAt, String status) {
    }

    /** The canary of a deployment. */
    public record Canary(String model, @JsonProperty("base_model") String baseModel, int percent) {
    }

    /** A model a deployment served before. */
    public record Target(String model, @JsonProperty("base_model") String baseModel,
                         @JsonProperty("dataset_id") String datasetId) {
    }

    public record DeploymentList(String object, List<Deployment> data) {
    }

    /** The answer to {@code POST /v1/feedback}. */
    public record FeedbackReceipt(String object, String id, @JsonProperty("completion_id") String completionId,
                                  int rating, boolean corrected, String model, String alias) {
    }

    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                        @JsonProperty("completion_tokens") int completionTokens,
                        @JsonProperty("total_tokens") int totalTokens) {
        public static Usage of(int prompt, int completion) {
            return new Usage(prompt, completion, prompt + completion);
        }
    }

    public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                                 Usage usage, @JsonProperty("system_fingerprint") String systemFingerprint) {
    }

    public record Choice(int index, AssistantMessage message, Object logprobs,
                         @JsonProperty("finish_reason") String finishReason) {
    }

    public record AssistantMessage(String role, String content, String refusal) {
    }

    public record ChatChunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
                            @JsonProperty("system_fingerprint") String systemFingerprint) {
    }

    public record ChunkChoice(int index, Delta delta, Object logprobs,
                              @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    public record TextCompletion(String id, String object, long created, String model, List<TextChoice> choices,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {
    }

    public record TextChoice(String text, int index, Object logprobs,
                             @JsonProperty("finish_reason") String finishReason) {
    }

    public record ErrorBody(Error error) {
    }

    public record Error(String message, String type, String param, String code) {
    }
}
