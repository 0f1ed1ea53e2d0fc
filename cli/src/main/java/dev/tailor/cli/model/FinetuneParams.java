package dev.tailor.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The training parameters of {@code tailor model finetune}: defaults, then a YAML (or JSON) file, then flags. The
 * file holds the JSON form of the REST API's {@code params} (nested, or the first version's flat names); keys may
 * also be written in snake_case or kebab-case ({@code learning_rate}), and {@code method} / {@code scheduler} in any
 * case.
 */
final class FinetuneParams {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FinetuneParams() {
    }

    /** {@code defaults < file < flags}; {@code file} may be null, {@code flags} holds the flat names of set flags. */
    static TrainingParams resolve(Path file, Map<String, Object> flags) {
        TrainingParams params = TrainingParams.defaults();
        if (file != null) {
            params = params.with(read(file));
        }
        ObjectNode given = Json.mapper().createObjectNode();
        flags.forEach((k, v) -> {
            if (v != null) {
                given.set(k, Json.mapper().valueToTree(v));
            }
        });
        return params.with(normalize(given));
    }

    /** A parameters file, keys in camelCase. */
    static JsonNode read(Path file) {
        try {
            JsonNode node = YAML.readTree(file.toFile());
            return node == null || node.isMissingNode() ? Json.mapper().createObjectNode() : normalize(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read training parameters from " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static JsonNode normalize(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = Json.mapper().createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = camel(e.getKey());
            JsonNode value = e.getValue();
            if ((key.equals("method") || key.equals("scheduler")) && value.isTextual()) {
                value = Json.mapper().getNodeFactory().textNode(value.asText().trim().toLowerCase(Locale.ROOT));
            }
            out.set(key, normalize(value));
        }
        return out;
    }

    private static String camel(String key) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : key.trim().toCharArray()) {
            if (c == '_' || c == '-') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }
}
