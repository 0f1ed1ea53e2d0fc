package dev.tailor.llm.generate;

import java.util.List;

/**
 * What to generate.
 *
 * @param temperature       0 = greedy (argmax)
 * @param topK              0 = no top-k filter
 * @param topP              1 = no nucleus filter
 * @param repetitionPenalty 1 = none (HF semantics: positive logits divided, negative multiplied)
 * @param stop              strings that end the generation (not included in the text)
 * @param seed              nullable: random when absent
 * @param adapter           nullable: name of a loaded LoRA adapter
 */
public record GenerationRequest(int[] promptIds, int maxNewTokens, double temperature, int topK, double topP,
                                double repetitionPenalty, List<String> stop, Long seed, String adapter) {

    public GenerationRequest {
        if (promptIds == null || promptIds.length == 0) {
            throw new IllegalArgumentException("promptIds must hold at least one token (e.g. the BOS id)");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || temperature > 100) {
            throw new IllegalArgumentException("temperature must be between 0 (greedy) and 100, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0 (1 = off), got " + repetitionPenalty);
        }
        promptIds = promptIds.clone();
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stop sequences must not be empty strings");
        }
    }

    /** Greedy decoding of {@code maxNewTokens} tokens without adapter or stop strings. */
    public static GenerationRequest greedy(int[] promptIds, int maxNewTokens) {
        return new GenerationRequest(promptIds, maxNewTokens, 0, 0, 1, 1, List.of(), null, null);
    }

    public GenerationRequest withAdapter(String name) {
        return new GenerationRequest(promptIds, maxNewTokens, temperature, topK, topP, repetitionPenalty, stop,
                seed, name);
    }
}
