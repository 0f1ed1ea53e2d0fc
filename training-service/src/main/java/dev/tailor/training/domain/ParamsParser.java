package dev.tailor.training.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;

/**
 * Reads the {@code params} of a training request: a partial TrainingParams object (nested, or the first version's
 * flat names) merged over {@link TrainingParams#defaults()}. Unknown names, wrong types and out-of-range values are
 * rejected with the field as the request named it and what is allowed.
 */
public final class ParamsParser {

    private ParamsParser() {
    }

    /** The same from JSON text (a setting, a file). */
    public static TrainingParams parseText(String json) {
        try {
            return parse(Json.mapper().readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad("params could not be read: " + e.getOriginalMessage(), "params");
        }
    }

    public static TrainingParams parse(JsonNode params) {
        try {
            return TrainingParams.defaults().with(params);
        } catch (TrainingParams.InvalidParameter e) {
            throw bad(e.getMessage(), e.field().equals("params") ? "params" : "params." + e.field());
        }
    }

    private static JobRejected bad(String detail, String field) {
        return new JobRejected(JobRejected.Reason.INVALID, "Invalid training parameters", detail, field);
    }
}
