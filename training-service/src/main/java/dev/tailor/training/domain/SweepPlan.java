package dev.tailor.training.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.Sweep;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small hyper-parameter sweep: every combination of the values given per parameter, each a candidate job run
 * after the others. Keys are parameter names as {@code params} takes them (flat, e.g. {@code learningRate},
 * {@code loraRank}, or nested, e.g. {@code optimizer.learningRate}); values are arrays:
 * <pre>{@code {"learningRate": [0.001, 0.005], "loraRank": [4, 8]}}</pre> gives four candidates.
 */
public final class SweepPlan {
    private SweepPlan() {
    }

    /**
     * The candidates' parameters, over {@code base}, in a fixed order (the last key varies fastest).
     *
     * @param max the most candidates allowed
     * @throws JobRejected naming the sweep field at fault
     */
    public static List<TrainingParams> expand(TrainingParams base, JsonNode sweep, int max) {
        if (sweep == null || !sweep.isObject() || sweep.isEmpty()) {
            throw invalid("sweep", "sweep must be an object of parameter → list of values, e.g. "
                    + "{\"learningRate\": [0.001, 0.005], \"loraRank\": [4, 8]}");
        }
        List<Map.Entry<String, JsonNode>> axes = new ArrayList<>();
        long count = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = sweep.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw invalid("sweep." + e.getKey(), "sweep." + e.getKey() + " must be a non-empty list of values");
            }
            axes.add(e);
            count *= e.getValue().size();
        }
        int limit = Math.min(max, Sweep.MAX_CANDIDATES);
        if (count < 2 || count > limit) {
            throw invalid("sweep", "a sweep has 2 to " + limit + " candidates (the product of its value lists), got "
                    + count);
        }
        List<TrainingParams> out = new ArrayList<>();
        int[] at = new int[axes.size()];
        for (long n = 0; n < count; n++) {
            ObjectNode values = Json.mapper().createObjectNode();
            for (int a = 0; a < axes.size(); a++) {
                set(values, axes.get(a).getKey(), axes.get(a).getValue().get(at[a]));
            }
            try {
                out.add(base.with(values));
            } catch (TrainingParams.InvalidParameter e) {
                throw invalid("sweep." + e.field(), "sweep candidate " + values + ": " + e.getMessage());
            }
            for (int a = axes.size() - 1; a >= 0; a--) {
                if (++at[a] < axes.get(a).getValue().size()) {
                    break;
                }
                at[a] = 0;
            }
        }
        if (out.stream().distinct().count() < out.size()) {
            throw invalid("sweep", "two sweep candidates have the same parameters; list each value once");
        }
        return out;
    }

    /** Puts {@code a.b.c = v} as nested objects (the flat names of params stay flat). */
    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static JobRejected invalid(String field, String detail) {
        return new JobRejected(JobRejected.Reason.INVALID, "Invalid sweep", detail, field);
    }
}
