package dev.tailor.common.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.TrainingParamsJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first version's flat training-parameter names ({@code loraRank}, {@code epochs}, ...) in the generated schemas:
 * every object schema of {@code TrainingParams} also lists them, each a copy of its nested field's schema marked
 * deprecated, so that a flat request or event is validated as before ({@link TrainingParamsJson#FLAT_TO_NESTED}).
 */
final class FlatParamNames {
    private FlatParamNames() {
    }

    /** Adds the flat names to every TrainingParams schema in {@code root} (a whole generated schema). */
    static void addTo(ObjectNode root) {
        List<ObjectNode> found = new ArrayList<>();
        collect(root, found);
        for (ObjectNode properties : found) {
            for (Map.Entry<String, String> e : TrainingParamsJson.FLAT_TO_NESTED.entrySet()) {
                String nested = e.getValue();
                if (!nested.contains(".")) {
                    continue; // method, seed: the same name in both forms
                }
                String group = nested.substring(0, nested.indexOf('.'));
                String field = nested.substring(group.length() + 1);
                JsonNode leaf = resolve(root, properties.path(group)).path("properties").path(field);
                if (!leaf.isObject()) {
                    throw new IllegalStateException("the schema of TrainingParams has no " + nested);
                }
                ObjectNode copy = ((ObjectNode) leaf).deepCopy();
                String description = "same as " + nested + " (the flat name of version 1)"
                        + (copy.has("description") ? "; " + copy.get("description").asText() : "");
                copy.put("description", description);
                copy.put("deprecated", true);
                properties.set(e.getKey(), copy);
            }
        }
    }

    /** The {@code properties} of object schemas that have every group of TrainingParams. */
    private static void collect(JsonNode node, List<ObjectNode> found) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null && properties.isObject()
                    && TrainingParamsJson.GROUPS.stream().allMatch(properties::has)) {
                found.add((ObjectNode) properties);
            }
            node.forEach(child -> collect(child, found));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, found));
        }
    }

    private static JsonNode resolve(ObjectNode root, JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.startsWith("#/") ? root.at(ref.substring(1)) : node;
    }
}
