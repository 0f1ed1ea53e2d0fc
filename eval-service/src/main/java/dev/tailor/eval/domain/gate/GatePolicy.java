package dev.tailor.eval.domain.gate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.tailor.eval.domain.metrics.Metric;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The promotion gate of a dataset or job: every condition given must hold for the tuned model to be promoted; a
 * condition left out (null) is not checked, a field left out of a condition takes its default. JSON form, e.g. the
 * default:
 * <pre>{@code
 * {"loss": {"minRelativeImprovement": 0.0},
 *  "metrics": [{"metric": "rouge_l", "on": "lower_bound", "minGain": 0.0}],
 *  "judge": {"on": "lower_bound", "minWinRateGain": 0.0, "replacesMetrics": true},
 *  "forgetting": {"maxPerplexityIncrease": 0.05},
 *  "confidence": 0.95}
 * }</pre>
 *
 * @param loss       test loss must improve, or null
 * @param metrics    generation-metric conditions (each metric at most once), may be empty
 * @param judge      judge win-rate condition, applied only when a judge ran, or null
 * @param forgetting limit on the general-text perplexity increase, or null
 * @param confidence two-sided level of the confidence intervals whose lower bounds conditions use (default 0.95)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatePolicy(LossCondition loss, List<MetricCondition> metrics, JudgeCondition judge,
                         ForgettingCondition forgetting, Double confidence) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public GatePolicy {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        confidence = confidence == null ? 0.95 : confidence;
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0.5, 1), e.g. 0.95; got " + confidence);
        }
        Set<Metric> seen = new HashSet<>();
        for (MetricCondition m : metrics) {
            if (m == null || !seen.add(m.metric())) {
                throw new IllegalArgumentException("metrics must list each metric once, without nulls; got "
                        + metrics);
            }
        }
        if (loss == null && metrics.isEmpty() && judge == null && forgetting == null) {
            throw new IllegalArgumentException("a promotion gate needs at least one condition (loss, metrics, judge "
                    + "or forgetting); without any it would promote every model");
        }
    }

    /**
     * The default a careful team would choose: test loss improves, the lower 95 % bound of the ROUGE-L gain is
     * above zero (or, when a judge ran, the lower 95 % bound of its win-rate gain is), and general-text perplexity
     * rises by at most 5 %.
     */
    public static GatePolicy careful() {
        return new GatePolicy(new LossCondition(0.0), List.of(new MetricCondition(Metric.ROUGE_L, Bound.LOWER_BOUND,
                0.0)), new JudgeCondition(Bound.LOWER_BOUND, 0.0, true), new ForgettingCondition(0.05), 0.95);
    }

    /** Reads the JSON form; a mistake fails with a message that names the field. */
    public static GatePolicy fromJson(String json) {
        try {
            return JSON.readValue(json, GatePolicy.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException("invalid gate policy: " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid gate policy: " + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("gate policy could not be written as JSON", e);
        }
    }
}
