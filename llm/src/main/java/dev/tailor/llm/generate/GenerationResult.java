package dev.tailor.llm.generate;

/**
 * @param ids             prompt + generated ids (EOS included when generated)
 * @param newIds          generated ids only
 * @param text            decoded generated text (special tokens and stop sequence removed)
 * @param finishReason    "stop" (EOS or stop sequence) or "length"
 * @param tokensPerSecond generated tokens per second of generation time (prompt processing included, loading not)
 */
public record GenerationResult(int[] ids, int[] newIds, String text, String finishReason, int promptTokens,
                               int completionTokens, double tokensPerSecond) {
}
