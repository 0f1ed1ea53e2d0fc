package dev.tailor.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One training/eval example. Chat examples hold messages; a plain-text document ({@code {"text": ...}}) is held as
 * {@link #text()} with no messages, and every one of its tokens counts in the loss.
 */
public record ChatExample(List<ChatMessage> messages, String text) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ChatExample {
        messages = messages == null ? List.of() : List.copyOf(messages);
        if (messages.isEmpty() == (text == null)) {
            throw new IllegalArgumentException("An example holds either chat messages or a text, not both or none");
        }
    }

    public ChatExample(List<ChatMessage> messages) {
        this(messages, null);
    }

    public static ChatExample ofText(String text) {
        return new ChatExample(List.of(), text);
    }

    public boolean isText() {
        return text != null;
    }

    /**
     * The examples of a JSONL stream (UTF-8, blank lines skipped), at most {@code max}; a line that is not an
     * example fails with {@code source} and its line number.
     */
    public static List<ChatExample> readJsonl(InputStream in, String source, int max) throws IOException {
        return readJsonl(in, source, max, (n, line) -> fromJson(line));
    }

    /** The parse of each line of a JSONL stream, as {@link #readJsonl(InputStream, String, int)}. */
    public static <T> List<T> readJsonl(InputStream in, String source, int max, LineParser<T> parser)
            throws IOException {
        List<T> out = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while (out.size() < max && (line = reader.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(parser.parse(n, line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Parses one non-blank line (1-based {@code lineNumber}); throws IllegalArgumentException when it is not one. */
    @FunctionalInterface
    public interface LineParser<T> {
        T parse(int lineNumber, String line);
    }

    /** Parses one JSONL line: {@code {"messages":[...]}}, {@code {"prompt","completion"}} or {@code {"text"}}. */
    public static ChatExample fromJson(String line) {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("Example is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("Example must be a JSON object");
        }
        if (n.has("messages")) {
            List<ChatMessage> msgs = new ArrayList<>();
            for (JsonNode m : n.get("messages")) {
                msgs.add(new ChatMessage(m.path("role").asText(null), m.path("content").asText("")));
            }
            if (msgs.isEmpty()) {
                throw new IllegalArgumentException("\"messages\" must not be empty");
            }
            return new ChatExample(msgs);
        }
        if (n.has("prompt") && n.has("completion")) {
            return new ChatExample(List.of(new ChatMessage("user", n.get("prompt").asText()),
                    new ChatMessage("assistant", n.get("completion").asText())));
        }
        if (n.has("text")) {
            return ofText(n.get("text").asText());
        }
        throw new IllegalArgumentException("Example needs \"messages\", \"prompt\"+\"completion\" or \"text\"");
    }
}
