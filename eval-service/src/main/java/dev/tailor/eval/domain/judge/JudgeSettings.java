package dev.tailor.eval.domain.judge;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;

/**
 * An LLM judge: any OpenAI-compatible chat completions endpoint (a hosted model, or Tailor's own inference
 * service). The key is never written into reports or stored requests ({@link #redacted()}).
 *
 * @param url       base URL of the API, e.g. {@code https://api.example.com/v1} or {@code http://127.0.0.1:8085/v1}
 *                  ({@code /chat/completions} is appended)
 * @param model     the judge model's id at that endpoint
 * @param apiKey    bearer token, or null when the endpoint needs none
 * @param template  the judge prompt, a Jinja template (see {@link JudgePrompt}); null = the built-in one
 * @param maxTokens most tokens of one judgement (default 256)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JudgeSettings(String url, String model, String apiKey, String template, Integer maxTokens) {

    public JudgeSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("judge.url is required: the base URL of an OpenAI-compatible API, "
                    + "e.g. http://127.0.0.1:8085/v1");
        }
        URI u;
        try {
            u = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("judge.url is not a URL: " + url, e);
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("judge.url must be an http(s) URL with a host, got " + url);
        }
        url = url.strip().replaceAll("/+$", "");
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("judge.model is required: the id of the judge model at " + url);
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        maxTokens = maxTokens == null ? 256 : maxTokens;
        if (maxTokens < 16 || maxTokens > 4096) {
            throw new IllegalArgumentException("judge.maxTokens must be in 16..4096, got " + maxTokens);
        }
        if (template != null) {
            JudgePrompt.check(template);
        }
    }

    /** The chat completions endpoint. */
    public URI completionsUri() {
        return URI.create(url + "/chat/completions");
    }

    /** These settings without the key, to store and show. */
    public JudgeSettings redacted() {
        return new JudgeSettings(url, model, null, template, maxTokens);
    }

    /** The same settings with {@code key} when they carry none (a key the service holds for this endpoint). */
    public JudgeSettings withKeyIfAbsent(String key) {
        return apiKey != null || key == null ? this : new JudgeSettings(url, model, key, template, maxTokens);
    }
}
