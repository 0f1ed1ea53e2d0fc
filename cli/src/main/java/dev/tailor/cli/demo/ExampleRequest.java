package dev.tailor.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ready-to-paste {@code curl} for the chat completions endpoint, asking a question from the dataset, with the API
 * key from {@code $TAILOR_API_KEY} (the demo prints the export line first, so the key is not repeated in the command).
 */
final class ExampleRequest {

    /** Asked when neither the test split nor the uploaded file holds a short question. */
    static final String FALLBACK_QUESTION = "What can you help me with?";

    private ExampleRequest() {
    }

    static String curl(String inferenceUrl, String model, Path dataset) {
        return curl(inferenceUrl, model, question(dataset));
    }

    static String curl(String inferenceUrl, String model, String question) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "user");
        message.put("content", question);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", List.of(message));
        body.put("max_tokens", 64);
        body.put("temperature", 0);
        return "curl -s " + inferenceUrl + "/v1/chat/completions -H \"Authorization: Bearer $TAILOR_API_KEY\""
                + " -H 'Content-Type: application/json' -d " + shellQuote(Json.write(body));
    }

    /**
     * A question from the cleaned test split (the model has not trained on it), else from the uploaded file, else
     * {@link #FALLBACK_QUESTION}; {@code testSplit} (JSONL) may be null and is closed here.
     */
    static String question(java.io.InputStream testSplit, Path dataset) {
        if (testSplit != null) {
            try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(testSplit,
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String q = firstQuestion(r);
                if (q != null) {
                    return q;
                }
            } catch (IOException | RuntimeException unreadable) {
                // fall back to the uploaded file
            }
        }
        return question(dataset);
    }

    /** The first short user question in the dataset (chat or prompt/completion lines). */
    static String question(Path dataset) {
        try (BufferedReader r = Files.newBufferedReader(dataset)) {
            String q = firstQuestion(r);
            if (q != null) {
                return q;
            }
        } catch (IOException | RuntimeException unreadable) {
            // fall through to a generic question
        }
        return FALLBACK_QUESTION;
    }

    private static String firstQuestion(BufferedReader r) throws IOException {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            String q = userText(line);
            if (q != null && !q.isBlank() && q.length() <= 100 && !q.contains("\n")) {
                return q.strip();
            }
        }
        return null;
    }

    private static String userText(String line) {
        try {
            JsonNode n = Json.mapper().readTree(line);
            for (JsonNode m : n.path("messages")) {
                if ("user".equals(m.path("role").asText())) {
                    return m.path("content").asText(null);
                }
            }
            return n.hasNonNull("prompt") ? n.get("prompt").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
