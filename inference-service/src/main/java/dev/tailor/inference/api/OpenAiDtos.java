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

    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
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
