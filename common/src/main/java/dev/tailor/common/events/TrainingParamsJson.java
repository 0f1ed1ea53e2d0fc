package dev.tailor.common.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams.Builder;
import dev.tailor.common.events.TrainingParams.InvalidParameter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads {@link TrainingParams} from JSON, in the nested form ({@code {"lora":{"rank":16}}}) and in the flat form of
 * the first version ({@code {"loraRank":16}}), which map one to one: {@link #FLAT_TO_NESTED}. A value may be given
 * once, in either form. Numbers and booleans may be JSON strings ({@code "1e-4"}, {@code "true"}), target modules a
 * comma-separated string. Every error names the key as the input wrote it.
 */
public final class TrainingParamsJson {
    /** Flat key of the first version → its place in the nested form. {@code method} and {@code seed} are both. */
    public static final Map<String, String> FLAT_TO_NESTED = flatToNested();
    /** The groups of the nested form. */
    public static final List<String> GROUPS = List.of("lora", "optimizer", "schedule", "data", "evaluation",
            "compute", "vocabulary");

    private static final Map<String, BiConsumer<Builder, Value>> SETTERS = setters();

    private TrainingParamsJson() {
    }

    private static Map<String, String> flatToNested() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", "method");
        m.put("loraRank", "lora.rank");
        m.put("loraAlpha", "lora.alpha");
        m.put("loraDropout", "lora.dropout");
        m.put("targetModules", "lora.targetModules");
        m.put("learningRate", "optimizer.learningRate");
        m.put("weightDecay", "optimizer.weightDecay");
        m.put("maxGradNorm", "optimizer.maxGradNorm");
        m.put("scheduler", "schedule.scheduler");
        m.put("warmupRatio", "schedule.warmupRatio");
        m.put("epochs", "schedule.epochs");
        m.put("maxSteps", "schedule.maxSteps");
        m.put("batchSize", "data.batchSize");
        m.put("gradientAccumulation", "data.gradientAccumulation");
        m.put("maxSeqLength", "data.maxSeqLength");
        m.put("packing", "data.packing");
        m.put("evalEvery", "evaluation.evalEvery");
        m.put("earlyStoppingPatience", "evaluation.earlyStoppingPatience");
        m.put("seed", "seed");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, BiConsumer<Builder, Value>> setters() {
        Map<String, BiConsumer<Builder, Value>> m = new LinkedHashMap<>();
        m.put("method", (b, v) -> b.method(v.text()));
        m.put("lora.rank", (b, v) -> b.loraRank(v.integer()));
        m.put("lora.alpha", (b, v) -> b.loraAlpha(v.number()));
        m.put("lora.dropout", (b, v) -> b.loraDropout(v.number()));
        m.put("lora.targetModules", (b, v) -> b.targetModules(v.projections()));
        m.put("optimizer.learningRate", (b, v) -> b.learningRate(v.number()));
        m.put("optimizer.weightDecay", (b, v) -> b.weightDecay(v.number()));
        m.put("optimizer.maxGradNorm", (b, v) -> b.maxGradNorm(v.number()));
        m.put("schedule.scheduler", (b, v) -> b.scheduler(v.text()));
        m.put("schedule.warmupRatio", (b, v) -> b.warmupRatio(v.number()));
        m.put("schedule.epochs", (b, v) -> b.epochs(v.integer()));
        m.put("schedule.maxSteps", (b, v) -> b.maxSteps(v.integer()));
        m.put("data.batchSize", (b, v) -> b.batchSize(v.integer()));
        m.put("data.gradientAccumulation", (b, v) -> b.gradientAccumulation(v.integer()));
        m.put("data.maxSeqLength", (b, v) -> b.maxSeqLength(v.integer()));
        m.put("data.packing", (b, v) -> b.packing(v.bool()));
        m.put("evaluation.evalEvery", (b, v) -> b.evalEvery(v.integer()));
        m.put("evaluation.earlyStoppingPatience", (b, v) -> b.earlyStoppingPatience(v.integer()));
        m.put("seed", (b, v) -> b.seed(v.longInteger()));
        m.put("compute.device", (b, v) -> b.device(v.text()));
        m.put("compute.precision", (b, v) -> b.precision(v.text()));
        m.put("compute.backend", (b, v) -> b.backend(v.text()));
        m.put("compute.nodes", (b, v) -> b.nodes(v.integer()));
        m.put("compute.processesPerNode", (b, v) -> b.processesPerNode(v.integer()));
        m.put("vocabulary.extend", (b, v) -> b.extendVocabulary(v.bool()));
        m.put("vocabulary.maxNewTokens", (b, v) -> b.maxNewTokens(v.integer()));
        m.put("vocabulary.terms", (b, v) -> b.terms(v.texts()));
        if (!m.keySet().containsAll(FLAT_TO_NESTED.values())) {
            throw new IllegalStateException("every nested key needs a setter");
        }
        return m;
    }

    /** Every key the nested form accepts, e.g. {@code lora.rank}. */
    public static List<String> nestedKeys() {
        return List.copyOf(SETTERS.keySet());
    }

    /**
     * {@code base} with the values of {@code json} (null or JSON null: {@code base} itself).
     *
     * @param strict refuse keys that are not training parameters (requests, files) instead of ignoring them (events)
     */
    static TrainingParams read(TrainingParams base, JsonNode json, boolean strict) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return base;
        }
        if (!json.isObject()) {
            throw new InvalidParameter("params", "params must be a JSON object of training parameters, e.g. "
                    + "{\"lora\": {\"rank\": 16}, \"schedule\": {\"epochs\": 3}}", null);
        }
        Builder builder = base.toBuilder();
        Map<String, String> given = new LinkedHashMap<>(); // nested key → key as given
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (FLAT_TO_NESTED.containsKey(key)) {
                set(builder, given, FLAT_TO_NESTED.get(key), key, e.getValue());
            } else if (GROUPS.contains(key)) {
                readGroup(builder, given, key, e.getValue(), strict);
            } else if (strict) {
                throw unknown(key);
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw named(e, given);
        }
    }

    private static void readGroup(Builder builder, Map<String, String> given, String group, JsonNode node,
                                  boolean strict) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new InvalidParameter(group, group + " must be a JSON object, e.g. {\"" + group + "\": {\""
                    + firstKey(group) + "\": ...}}, got " + node, null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = group + "." + e.getKey();
            if (SETTERS.containsKey(key)) {
                set(builder, given, key, key, e.getValue());
            } else if (strict) {
                throw unknown(key);
            }
        }
    }

    private static void set(Builder builder, Map<String, String> given, String nested, String asGiven, JsonNode v) {
        String before = given.put(nested, asGiven);
        if (before != null) {
            throw new InvalidParameter(asGiven, "give " + before + " or " + asGiven + ", not both: they are the same "
                    + "parameter", null);
        }
        if (!v.isNull()) {
            SETTERS.get(nested).accept(builder, new Value(asGiven, v));
        }
    }

    /**
     * A record's message names the nested key; say it the way the input did. (No cause: readers of a wrapped error,
     * such as {@code Json.read}, report the innermost message.)
     */
    private static InvalidParameter named(IllegalArgumentException e, Map<String, String> given) {
        String message = e.getMessage();
        for (Map.Entry<String, String> g : given.entrySet()) {
            String nested = g.getKey();
            if (message.startsWith(nested + " ")) {
                return new InvalidParameter(g.getValue(), g.getValue() + message.substring(nested.length()), null);
            }
        }
        String key = message.contains(" ") ? message.substring(0, message.indexOf(' ')) : "params";
        return new InvalidParameter(SETTERS.containsKey(key) ? key : "params", message, null);
    }

    private static InvalidParameter unknown(String key) {
        List<String> known = new ArrayList<>(SETTERS.keySet());
        return new InvalidParameter(key, "'" + key + "' is not a training parameter; use some of " + known
                + " (the first version's flat names " + FLAT_TO_NESTED.keySet() + " are read too)", null);
    }

    private static String firstKey(String group) {
        return SETTERS.keySet().stream().filter(k -> k.startsWith(group + ".")).findFirst()
                .map(k -> k.substring(group.length() + 1)).orElse("");
    }

    /** One value of the input and the key it came under, converted with messages that name that key. */
    private record Value(String key, JsonNode node) {
        String text() {
            if (!node.isTextual()) {
                throw wrong("a string");
            }
            return node.asText();
        }

        double number() {
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isTextual()) {
                try {
                    return Double.parseDouble(node.asText().trim());
                } catch (NumberFormatException e) {
                    throw wrong("a number");
                }
            }
            throw wrong("a number");
        }

        long longInteger() {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            double d = number();
            if (d != Math.rint(d) || Math.abs(d) > 9.0e15) {
                throw wrong("a whole number");
            }
            return (long) d;
        }

        int integer() {
            long l = longInteger();
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw wrong("a whole number below 2^31");
            }
            return (int) l;
        }

        boolean bool() {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            String s = node.isTextual() ? node.asText().trim().toLowerCase(Locale.ROOT) : "";
            if (s.equals("true") || s.equals("false")) {
                return s.equals("true");
            }
            throw wrong("true or false");
        }

        List<Projection> projections() {
            List<String> names = new ArrayList<>();
            if (node.isArray()) {
                for (JsonNode n : node) {
                    if (!n.isTextual()) {
                        throw wrong("a list of module names such as [\"q_proj\", \"v_proj\"]");
                    }
                    names.add(n.asText().trim());
                }
            } else if (node.isTextual()) {
                for (String s : node.asText().split(",")) {
                    if (!s.isBlank()) {
                        names.add(s.trim());
                    }
                }
            } else {
                throw wrong("a list of module names such as [\"q_proj\", \"v_proj\"]");
            }
            if (names.isEmpty()) {
                throw new InvalidParameter(key, key + " must list at least one of " + Projection.names(), null);
            }
            List<Projection> out = new ArrayList<>();
            for (String name : names) {
                try {
                    out.add(Projection.of(name));
                } catch (IllegalArgumentException e) {
                    throw new InvalidParameter(key, key + " entry " + e.getMessage(), null);
                }
            }
            return out;
        }

        List<String> texts() {
            List<String> out = new ArrayList<>();
            if (!node.isArray()) {
                throw wrong("a list of strings such as [\"Tailorix\", \"Autovacuum\"]");
            }
            for (JsonNode n : node) {
                if (!n.isTextual()) {
                    throw wrong("a list of strings such as [\"Tailorix\", \"Autovacuum\"]");
                }
                out.add(n.asText());
            }
            return out;
        }

        private InvalidParameter wrong(String expected) {
            return new InvalidParameter(key, key + " must be " + expected + ", got " + node, null);
        }
    }
}
