package dev.tailor.eval.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import dev.tailor.eval.domain.judge.JudgePrompt;
import dev.tailor.eval.domain.judge.JudgeReply;
import dev.tailor.eval.domain.judge.JudgeSettings;
import dev.tailor.eval.domain.judge.Judgement;
import dev.tailor.eval.domain.testset.TestCase;
import dev.tailor.llm.chat.ChatMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks an LLM judge at an OpenAI-compatible chat completions endpoint to compare the tuned and the baseline answer
 * of each example, in both orders (tuned as A, then as B), greedy (temperature 0). A failed request is retried
 * once; an endpoint that keeps failing fails the evaluation with its status and message.
 */
final class JudgeClient {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final JudgeSettings settings;
    private final JudgePrompt prompt;
    private final HttpClient http;

    JudgeClient(JudgeSettings settings) {
        this.settings = settings;
        this.prompt = new JudgePrompt(settings.template());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Judgements of the examples that have both answers ({@code baseline.get(i)}, {@code tuned.get(i)} non-null). */
    List<Judgement> judge(List<TestCase> cases, List<String> baseline, List<String> tuned) {
        List<Judgement> out = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (baseline.get(i) == null || tuned.get(i) == null) {
                continue;
            }
            TestCase c = cases.get(i);
            List<Map<String, String>> conversation = new ArrayList<>();
            for (ChatMessage m : c.prompt()) {
                conversation.add(Map.of("role", m.role(), "content", m.content()));
            }
            String first = ask(prompt.render(c.question(), conversation, c.reference(), tuned.get(i), baseline.get(i)));
            String second = ask(prompt.render(c.question(), conversation, c.reference(), baseline.get(i),
                    tuned.get(i)));
            out.add(new Judgement(c.id(), JudgeReply.parse(first), JudgeReply.parse(second), first, second));
        }
        return out;
    }

    private String ask(String text) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", settings.model());
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        body.put("temperature", 0);
        body.put("max_tokens", settings.maxTokens());
        HttpRequest.Builder req = HttpRequest.newBuilder(settings.completionsUri()).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (settings.apiKey() != null) {
            req.header("Authorization", "Bearer " + settings.apiKey());
        }
        String problem = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() / 100 == 2) {
                    JsonNode reply = Json.read(res.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
                    JsonNode content = reply.path("choices").path(0).path("message").path("content");
                    if (!content.isTextual()) {
                        throw new IllegalStateException("the judge at " + settings.url() + " answered without "
                                + "choices[0].message.content: " + snippet(res.body()));
                    }
                    return content.asText();
                }
                problem = "HTTP " + res.statusCode() + ": " + snippet(res.body());
                if (res.statusCode() / 100 == 4 && res.statusCode() != 429) {
                    break; // the request itself is wrong (model id, key): retrying cannot help
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the judge", e);
            }
        }
        throw new IllegalStateException("the judge at " + settings.completionsUri() + " (model " + settings.model()
                + ") failed: " + problem + "; check judge.url, judge.model and the key");
    }

    private static String snippet(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
