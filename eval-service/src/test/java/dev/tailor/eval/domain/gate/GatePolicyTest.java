package dev.tailor.eval.domain.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatePolicyTest {

    @Test
    void theCarefulDefaultInItsJsonForm() {
        GatePolicy careful = GatePolicy.careful();
        String json = careful.toJson();
        assertEquals("{\"loss\":{\"minRelativeImprovement\":0.0},"
                + "\"metrics\":[{\"metric\":\"rouge_l\",\"on\":\"lower_bound\",\"minGain\":0.0}],"
                + "\"judge\":{\"on\":\"lower_bound\",\"minWinRateGain\":0.0,\"replacesMetrics\":true},"
                + "\"forgetting\":{\"maxPerplexityIncrease\":0.05},\"confidence\":0.95}", json);
        assertEquals(careful, GatePolicy.fromJson(json));
    }

    @Test
    void aPolicyPerDatasetLeavesOutWhatItDoesNotCheck() {
        GatePolicy p = GatePolicy.fromJson("""
                {"metrics": [{"metric": "exact_match", "on": "mean", "minGain": 0.05},
                             {"metric": "chrf"}],
                 "confidence": 0.9}""");
        assertNull(p.loss());
        assertNull(p.judge());
        assertNull(p.forgetting());
        assertEquals(0.9, p.confidence());
        assertEquals(List.of(new MetricCondition(Metric.EXACT_MATCH, Bound.MEAN, 0.05),
                new MetricCondition(Metric.CHRF, Bound.LOWER_BOUND, 0.0)), p.metrics());
        assertEquals(0.95, GatePolicy.fromJson("{\"forgetting\": {\"maxPerplexityIncrease\": 0.1}}").confidence());
        // fields left out of a condition take their defaults
        assertEquals(new JudgeCondition(Bound.LOWER_BOUND, 0.0, true), GatePolicy.fromJson("{\"judge\": {}}").judge());
        assertEquals(0.05, GatePolicy.fromJson("{\"forgetting\": {}}").forgetting().maxPerplexityIncrease());
        assertEquals(0.0, GatePolicy.fromJson("{\"loss\": {}}").loss().minRelativeImprovement());
    }

    @Test
    void mistakesAreNamed() {
        assertMessage("{\"metrics\": [{\"metric\": \"bleu\"}]}", "unknown metric 'bleu'");
        assertMessage("{\"loss\": {\"minRelativeImprovement\": 2}}", "loss.minRelativeImprovement must be in [0, 1)");
        assertMessage("{\"forgetting\": {\"maxPerplexityIncrease\": -0.1}}", "maxPerplexityIncrease must be in");
        assertMessage("{\"confidence\": 0.95}", "needs at least one condition");
        assertMessage("{\"loss\": {}, \"confidence\": 1.5}", "confidence must be in (0.5, 1)");
        assertMessage("{\"loss\": {}, \"treshold\": 1}", "Unrecognized field \"treshold\"");
        assertMessage("{\"metrics\": [{\"metric\": \"rouge_l\"}, {\"metric\": \"rouge_l\"}]}", "each metric once");
        assertMessage("{\"metrics\": [{\"metric\": \"rouge_l\", \"on\": \"median\"}]}", "unknown bound 'median'");
        assertMessage("{\"judge\": {\"minWinRateGain\": 0.5}}", "judge.minWinRateGain must be in [-0.5, 0.5)");
        assertMessage("not json", "invalid gate policy");
    }

    private static void assertMessage(String json, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatePolicy.fromJson(json));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
