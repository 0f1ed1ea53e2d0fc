package dev.tailor.inference.domain;

import java.util.List;

/**
 * A validated chat (or text) completion request.
 *
 * @param messages    (role, content) pairs; for {@code /v1/completions} null and {@code prompt} set
 * @param maxTokens   null = server default
 * @param temperature 0 = greedy
 * @param seed        null = random
 * @param user        OpenAI's end-user id, or null: with a canary, one user always gets the same model
 */
public record ChatRequest(String model, List<Message> messages, String prompt, Integer maxTokens, double temperature,
                          double topP, List<String> stop, Long seed, boolean stream, boolean includeUsage,
                          String user) {

    public record Message(String role, String content) {
    }
}
