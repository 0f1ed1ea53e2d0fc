package dev.tailor.inference.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads OpenAI {@code /v1/chat/completions} and {@code /v1/completions} bodies, checking each field. */
public final class ChatRequestParser {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final int MAX_STOP = 4;

    private ChatRequestParser() {
    }

    public static ChatRequest chat(JsonNode body) {
        requireObject(body);
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiException.invalid("messages must be a non-empty array of {role, content}", "messages");
        }
        List<ChatRequest.Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw OpenAiException.invalid("messages[" + i + "].role must be one of " + ROLES + ", got '" + role
                        + "'", "messages[" + i + "].role");
            }
            out.add(new ChatRequest.Message("developer".equals(role) ? "system" : role,
                    content(m.get("content"), "messages[" + i + "].content")));
        }
        return common(body, out, null);
    }

    public static ChatRequest completion(JsonNode body) {
        requireObject(body);
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw OpenAiException.invalid("prompt must be a string (arrays of prompts are not supported)", "prompt");
        }
        return common(body, null, prompt.asText());
    }

    private static ChatRequest common(JsonNode body, List<ChatRequest.Message> messages, String prompt) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw OpenAiException.invalid("model is required: one of the ids of GET /v1/models", "model");
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.canConvertToInt() || n.asInt() != 1)) {
            throw OpenAiException.invalid("only n=1 is supported", "n");
        }
        Integer maxTokens = optionalInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalInt(body, "max_tokens");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw OpenAiException.invalid("max_tokens must be at least 1, got " + maxTokens, "max_tokens");
        }
        double temperature = number(body, "temperature", 1.0, 0.0, 2.0);
        double topP = number(body, "top_p", 1.0, 0.0, 1.0);
        if (topP == 0.0) {
            throw OpenAiException.invalid("top_p must be greater than 0 and at most 1", "top_p");
        }
        JsonNode seedNode = body.get("seed");
        Long seed = null;
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
                throw OpenAiException.invalid("seed must be an integer", "seed");
            }
            seed = seedNode.asLong();
        }
        boolean stream = bool(body, "stream");
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw OpenAiException.invalid("user must be a string (an id of your end user)", "user");
        }
        return new ChatRequest(model.asText(), messages, prompt, maxTokens, temperature, topP, stop(body.get("stop")),
                seed, stream, includeUsage, user == null || user.isNull() ? null : user.asText());
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return stop.asText().isEmpty() ? List.of() : List.of(stop.asText());
        }
        if (!stop.isArray() || stop.size() > MAX_STOP) {
            throw OpenAiException.invalid("stop must be a string or an array of up to " + MAX_STOP + " strings", "stop");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : stop) {
            if (!s.isTextual()) {
                throw OpenAiException.invalid("stop must contain only strings", "stop");
            }
            if (!s.asText().isEmpty()) {
                out.add(s.asText());
            }
        }
        return List.copyOf(out);
    }

    /** A message content: a string, or an array of {type: "text", text} parts. */
    private static String content(JsonNode content, String param) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw OpenAiException.invalid("only text content parts are supported", param);
                }
                b.append(part.path("text").asText());
            }
            return b.toString();
        }
        throw OpenAiException.invalid(param + " must be a string or an array of text parts", param);
    }

    private static Integer optionalInt(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw OpenAiException.invalid(field + " must be an integer", field);
        }
        return v.asInt();
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            throw OpenAiException.invalid(field + " must be a number between " + min + " and " + max, field);
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw OpenAiException.invalid(field + " must be true or false", field);
        }
        return v.asBoolean();
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalid("the body must be a JSON object", null);
        }
    }
}
