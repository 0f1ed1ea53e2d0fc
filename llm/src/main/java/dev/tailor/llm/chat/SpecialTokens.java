package dev.tailor.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The special (control) tokens of a tokenizer: entries of tokenizer.json's {@code added_tokens} with
 * {@code "special": true} ({@code <s>}, {@code <|im_start|>}, {@code <|eot_id|>} …). Added tokens that are not
 * special (vocabulary added for a domain) are ordinary text and not listed here.
 */
public final class SpecialTokens {
    private final Set<Integer> ids;
    private final List<String> texts;

    private SpecialTokens(Set<Integer> ids, List<String> texts) {
        this.ids = Collections.unmodifiableSet(ids);
        this.texts = List.copyOf(texts);
    }

    static SpecialTokens of(JsonNode tokenizerJson) {
        Set<Integer> ids = new HashSet<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode t : tokenizerJson.path("added_tokens")) {
            if (t.path("special").asBoolean(false) && t.path("content").isTextual() && !t.path("content").asText()
                    .isEmpty()) {
                ids.add(t.path("id").asInt());
                texts.add(t.path("content").asText());
            }
        }
        return new SpecialTokens(ids, texts);
    }

    public boolean isSpecial(int id) {
        return ids.contains(id);
    }

    public Set<Integer> ids() {
        return ids;
    }

    /** The token texts, e.g. {@code <|im_start|>}. */
    public List<String> texts() {
        return texts;
    }

    /** Whether the text of any special token occurs in {@code s}. */
    public boolean occursIn(String s) {
        return firstIn(s) != null;
    }

    private String firstIn(String s) {
        for (String t : texts) {
            if (s.contains(t)) {
                return t;
            }
        }
        return null;
    }

    /** The first special-token text found in the messages, for error messages. */
    String firstIn(List<ChatMessage> messages) {
        for (ChatMessage m : messages) {
            String t = firstIn(m.content());
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
