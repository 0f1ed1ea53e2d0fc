package dev.tailor.llm.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A copy of a tokenizer.json that tokenizes the text of special tokens as ordinary text (its special added tokens
 * removed) and prepends nothing (no {@code Prepend} normalizer, Metaspace with {@code prepend_scheme: never}), so
 * that {@code <|im_start|>} typed in a message becomes the tokens of those characters and nothing else.
 */
final class PlainTokenizerJson {
    private PlainTokenizerJson() {
    }

    static JsonNode of(JsonNode tokenizerJson) {
        ObjectNode copy = tokenizerJson.deepCopy();
        if (copy.get("added_tokens") instanceof ArrayNode added) {
            ArrayNode kept = copy.arrayNode();
            added.forEach(t -> {
                if (!t.path("special").asBoolean(false)) {
                    kept.add(t);
                }
            });
            copy.set("added_tokens", kept);
        }
        copy.set("normalizer", withoutPrepend(copy.get("normalizer")));
        copy.set("pre_tokenizer", neverPrepend(copy.get("pre_tokenizer")));
        copy.putNull("post_processor");
        return copy;
    }

    private static JsonNode withoutPrepend(JsonNode normalizer) {
        if (normalizer == null || normalizer.isNull()) {
            return normalizer;
        }
        if ("Prepend".equals(normalizer.path("type").asText())) {
            return null;
        }
        if (normalizer.get("normalizers") instanceof ArrayNode parts) {
            ArrayNode kept = parts.arrayNode();
            parts.forEach(p -> {
                JsonNode k = withoutPrepend(p);
                if (k != null) {
                    kept.add(k);
                }
            });
            ((ObjectNode) normalizer).set("normalizers", kept);
        }
        return normalizer;
    }

    private static JsonNode neverPrepend(JsonNode pre) {
        if (pre instanceof ObjectNode o) {
            if ("Metaspace".equals(o.path("type").asText())) {
                o.put("prepend_scheme", "never");
                if (o.has("add_prefix_space")) {
                    o.put("add_prefix_space", false);
                }
            }
            if (o.get("pretokenizers") instanceof ArrayNode parts) {
                parts.forEach(PlainTokenizerJson::neverPrepend);
            }
        }
        return pre;
    }
}
