package dev.tailor.training.domain;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the {@code params} of a training request: a partial TrainingParams object merged over
 * {@link TrainingParams#defaults()}. Unknown names, wrong types and out-of-range values are rejected with the
 * field and what is allowed.
 */
public final class ParamsParser {
    private static final List<String> NAMES = Arrays.stream(TrainingParams.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

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
        if (params == null || params.isNull() || params.isMissingNode()) {
            return TrainingParams.defaults();
        }
        if (!params.isObject()) {
            throw bad("params must be a JSON object of training parameters, e.g. {\"loraRank\": 16}", "params");
        }
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!NAMES.contains(name)) {
                throw bad("'" + name + "' is not a training parameter; use some of " + NAMES, "params." + name);
            }
        }
        try {
            return Json.mapper().treeToValue(params, TrainingParams.class);
        } catch (JsonMappingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof IllegalArgumentException) {
                String message = root.getMessage();
                String field = message.contains(" ") ? message.substring(0, message.indexOf(' ')) : null;
                return throwBad(message, field == null || !NAMES.contains(field) ? "params" : "params." + field);
            }
            String field = e.getPath().isEmpty() ? "params" : "params." + e.getPath().get(0).getFieldName();
            return throwBad(field + " has the wrong type: " + e.getOriginalMessage(), field);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return throwBad("params could not be read: " + e.getOriginalMessage(), "params");
        }
    }

    private static TrainingParams throwBad(String detail, String field) {
        throw bad(detail, field);
    }

    private static JobRejected bad(String detail, String field) {
        return new JobRejected(JobRejected.Reason.INVALID, "Invalid training parameters", detail, field);
    }
}
