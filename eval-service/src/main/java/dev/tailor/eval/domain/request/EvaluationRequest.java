package dev.tailor.eval.domain.request;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.values.Checks;
import java.util.Set;

/**
 * The body of {@code POST /v1/evaluations}:
 * <pre>{@code
 * {"model": "ft-…",                        // a tuned model's id (or a base model's name)
 *  "baseline": "ft-…",                     // optional: another model, or a base model's name; default the model's base
 *  "datasetId": "ds-…", "datasetVersion": "v-…",   // the version's test split (default: the model's training data)
 *  "evalSet": "s3://…/set.jsonl",          // or an uploaded eval set instead (POST /v1/eval-sets gives its URI)
 *  "settings": {…}}                        // generation, metrics, judge, gate, slices, generalText, maxExamples
 * }</pre>
 *
 * @param field the body field a problem is about, for the error (see {@link Invalid})
 */
public record EvaluationRequest(String model, String baseline, String datasetId, String datasetVersion,
                                String evalSet, JsonNode settings) {
    private static final Set<String> FIELDS = Set.of("model", "baseline", "datasetId", "datasetVersion", "evalSet",
            "settings");

    /** A request that cannot be used; {@link #field()} names the body field. */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        public Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public EvaluationRequest {
        if (model == null || model.isBlank()) {
            throw new Invalid("model", "model is required: the id of a tuned model (or the name of a base model)");
        }
        id("model", model);
        id("baseline", baseline);
        id("datasetId", datasetId);
        id("datasetVersion", datasetVersion);
        if (datasetVersion != null && datasetId == null) {
            throw new Invalid("datasetId", "datasetVersion needs datasetId");
        }
        if (evalSet != null && datasetId != null) {
            throw new Invalid("evalSet", "give either an eval set or a dataset version, not both");
        }
        if (evalSet != null && !evalSet.matches(Checks.S3_URI_PATTERN) && !evalSet.matches(Checks.ID_PATTERN)) {
            throw new Invalid("evalSet", "evalSet must be an s3:// URI or the id POST /v1/eval-sets gave, got '"
                    + evalSet + "'");
        }
        if (settings != null && !settings.isNull() && !settings.isObject()) {
            throw new Invalid("settings", "settings must be a JSON object");
        }
    }

    /** Reads the body; unknown fields are refused (a typo must not be ignored). */
    public static EvaluationRequest of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Invalid("body", "send a JSON object like {\"model\": \"ft-…\", \"baseline\": \"ft-…\"}");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new Invalid(f, "unknown field '" + f + "'; the fields are " + FIELDS);
            }
        });
        return new EvaluationRequest(text(body, "model"), text(body, "baseline"), text(body, "datasetId"),
                text(body, "datasetVersion"), text(body, "evalSet"), body.get("settings"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new Invalid(field, field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static void id(String field, String value) {
        if (value != null && !value.matches(Checks.ID_PATTERN)) {
            throw new Invalid(field, field + " must be 1-128 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit, got '" + value + "'");
        }
    }
}
