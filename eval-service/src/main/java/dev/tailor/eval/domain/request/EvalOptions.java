package dev.tailor.eval.domain.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.eval.domain.gate.GatePolicy;
import dev.tailor.eval.domain.judge.JudgeSettings;
import dev.tailor.eval.domain.slices.SliceKey;
import java.util.List;

/**
 * What an evaluation measures and how it decides, as set per dataset upload, per training job, or per
 * {@code POST /v1/evaluations}; every field may be left out. JSON form:
 * <pre>{@code
 * {"generation": {"maxNewTokens": 128, "temperature": 0},
 *  "metrics": {"chrf": "chrF", "embeddings": true, "resamples": 10000},
 *  "judge": {"url": "http://127.0.0.1:8085/v1", "model": "judge-model", "apiKey": "…"},
 *  "gate": {"loss": {}, "metrics": [{"metric": "rouge_l"}], "forgetting": {"maxPerplexityIncrease": 0.05}},
 *  "slices": ["product", "category"],
 *  "generalText": ["s3://bucket/tenant/general/my-text.txt"],
 *  "maxExamples": 500}
 * }</pre>
 *
 * @param generation  how answers are generated
 * @param metrics     how metrics are computed
 * @param judge       an LLM judge, or null for none
 * @param gate        the promotion gate (default {@link GatePolicy#careful()})
 * @param slices      metadata fields to slice by, besides source kind, source file, answer and conversation length
 * @param generalText extra general-text samples (s3 URIs of UTF-8 text) for the forgetting check, besides the
 *                    shipped one
 * @param maxExamples at most this many test examples are used (the first ones)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalOptions(GenerationSettings generation, MetricSettings metrics, JudgeSettings judge,
                          GatePolicy gate, List<String> slices, List<String> generalText, Integer maxExamples) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public EvalOptions {
        generation = generation == null ? GenerationSettings.DEFAULT : generation;
        metrics = metrics == null ? MetricSettings.DEFAULT : metrics;
        gate = gate == null ? GatePolicy.careful() : gate;
        slices = slices == null ? List.of() : List.copyOf(slices);
        generalText = generalText == null ? List.of() : List.copyOf(generalText);
        maxExamples = maxExamples == null ? 500 : maxExamples;
        if (slices.size() > 16) {
            throw new IllegalArgumentException("slices names at most 16 metadata fields, got " + slices.size());
        }
        slices.forEach(SliceKey::parse);
        if (generalText.size() > 8 || generalText.stream().anyMatch(u -> u == null || !u.startsWith("s3://"))) {
            throw new IllegalArgumentException("generalText takes up to 8 s3:// URIs of UTF-8 text files, got "
                    + generalText);
        }
        if (maxExamples < 1 || maxExamples > 100_000) {
            throw new IllegalArgumentException("maxExamples must be in 1..100000, got " + maxExamples);
        }
    }

    public static final EvalOptions DEFAULT = new EvalOptions(null, null, null, null, null, null, null);

    /**
     * {@code given} over {@code defaults}: fields of {@code generation} and {@code metrics} are merged one by one,
     * {@code judge}, {@code gate} and the lists replace the default as a whole. Null or an empty object gives the
     * defaults.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static EvalOptions parse(JsonNode given, EvalOptions defaults) {
        if (given == null || given.isNull() || given.isMissingNode()) {
            return defaults;
        }
        if (!given.isObject()) {
            throw new IllegalArgumentException("evaluation settings must be a JSON object, got " + given.getNodeType());
        }
        ObjectNode merged = JSON.valueToTree(defaults);
        for (String group : List.of("generation", "metrics")) {
            JsonNode g = given.get(group);
            if (g != null && g.isObject()) {
                ((ObjectNode) merged.get(group)).setAll((ObjectNode) g);
            } else if (g != null && !g.isNull()) {
                throw new IllegalArgumentException(group + " must be a JSON object");
            }
        }
        given.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("generation") && !f.getKey().equals("metrics")) {
                merged.set(f.getKey(), f.getValue());
            }
        });
        try {
            return JSON.treeToValue(merged, EvalOptions.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("invalid evaluation settings: " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid evaluation settings: " + e.getOriginalMessage(), e);
        }
    }

    /** These settings with the judge's key removed, to store and show. */
    public EvalOptions redacted() {
        return new EvalOptions(generation, metrics, judge == null ? null : judge.redacted(), gate, slices,
                generalText, maxExamples);
    }

    public JsonNode toJson() {
        return JSON.valueToTree(this);
    }
}
