package dev.tailor.eval.domain.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.stats.PairedBootstrap;
import dev.tailor.eval.domain.stats.PairedComparison;
import dev.tailor.eval.domain.stats.PairedStatistics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
    private static final BaseTuned LOSS_BETTER = new BaseTuned(5.5698, 5.0380);
    private static final BaseTuned PPL_SAME = new BaseTuned(22.80, 23.10);
    /** Per-example ROUGE-L of 12 answers: the tuned model clearly better. */
    private static final double[] BASE = {0.10, 0.22, 0.15, 0.30, 0.05, 0.12, 0.18, 0.25, 0.09, 0.14, 0.20, 0.11};
    private static final double[] BETTER = {0.31, 0.40, 0.22, 0.35, 0.28, 0.19, 0.33, 0.24, 0.30, 0.29, 0.41, 0.26};
    /** The same base with a tuned model that is better on average but not reliably. */
    private static final double[] MIXED = {0.30, 0.02, 0.40, 0.10, 0.02, 0.35, 0.05, 0.45, 0.01, 0.30, 0.05, 0.20};

    private static PairedComparison rouge(double[] tuned) {
        return PairedStatistics.DEFAULT.compare(BASE, tuned, true, false);
    }

    @Test
    void promotesWhenEveryConditionHoldsAndSaysWhy() {
        GateVerdict v = PromotionGate.evaluate(GatePolicy.careful(),
                new GateInputs(LOSS_BETTER, Map.of(Metric.ROUGE_L, rouge(BETTER)), null, PPL_SAME));
        assertEquals(Decision.PROMOTE, v.decision());
        assertEquals("ROUGE-L gain", v.deciding().name());
        assertEquals(3, v.conditions().size());
        PairedComparison c = rouge(BETTER);
        assertEquals(c.interval().lower(), v.deciding().value());
        assertTrue(v.sentence().startsWith(String.format(java.util.Locale.ROOT, "Promoted: the lower 95 %% bound of "
                + "the ROUGE-L gain is %+.3f (mean %+.3f, 95 %% CI [%+.3f, %+.3f]; base 0.159 → tuned 0.298, 12 "
                + "examples: 11 wins, 0 ties, 1 losses), above +0.000; and the test loss 5.0380 vs base 5.5698 "
                + "(-9.5 %%) is lower as required; the general-text perplexity 23.10 vs base 22.80 (+1.3 %%) is "
                + "within the +5.0 %% limit.", c.interval().lower(), c.meanGain(), c.interval().lower(),
                c.interval().upper())), v.sentence());
    }

    @Test
    void rejectsWhenTheLowerBoundDoesNotClearZero() {
        PairedComparison mixed = rouge(MIXED);
        assertTrue(mixed.meanGain() > 0 && mixed.interval().lower() < 0, mixed.toString());
        GateVerdict v = PromotionGate.evaluate(GatePolicy.careful(),
                new GateInputs(LOSS_BETTER, Map.of(Metric.ROUGE_L, mixed), null, PPL_SAME));
        assertEquals(Decision.REJECT, v.decision());
        assertEquals("ROUGE-L gain", v.deciding().name());
        assertTrue(v.sentence().startsWith("Rejected: the lower 95 % bound of the ROUGE-L gain is -0."), v.sentence());
        assertTrue(v.sentence().contains("not above +0.000. Passed: the test loss 5.0380 vs base 5.5698"),
                v.sentence());
        // the same numbers pass a gate on the mean gain
        GatePolicy onMean = new GatePolicy(new LossCondition(0.0), List.of(new MetricCondition(Metric.ROUGE_L,
                Bound.MEAN, 0.0)), null, new ForgettingCondition(0.05), 0.95);
        assertTrue(PromotionGate.evaluate(onMean, new GateInputs(LOSS_BETTER, Map.of(Metric.ROUGE_L, mixed), null,
                PPL_SAME)).promoted());
    }

    @Test
    void forgettingLossAndMissingMeasurementsDecide() {
        Map<Metric, PairedComparison> good = Map.of(Metric.ROUGE_L, rouge(BETTER));
        GateVerdict forgot = PromotionGate.evaluate(GatePolicy.careful(),
                new GateInputs(LOSS_BETTER, good, null, new BaseTuned(22.80, 25.08)));
        assertEquals("general-text perplexity", forgot.deciding().name());
        assertEquals(0.1, forgot.deciding().value(), 1e-9);
        assertTrue(forgot.sentence().startsWith("Rejected: the general-text perplexity 25.08 vs base 22.80 (+10.0 %)"
                + " is beyond the +5.0 % limit."), forgot.sentence());

        GateVerdict diverged = PromotionGate.evaluate(GatePolicy.careful(),
                new GateInputs(new BaseTuned(5.57, Double.NaN), good, null, PPL_SAME));
        assertEquals("test loss", diverged.deciding().name());
        assertTrue(diverged.sentence().contains("training diverged; retrain with a lower learning rate"));

        GateVerdict worse = PromotionGate.evaluate(GatePolicy.careful(),
                new GateInputs(new BaseTuned(5.0, 5.0), good, null, PPL_SAME));
        assertEquals("Rejected: the test loss 5.0000 vs base 5.0000 (+0.0 %) must be lower than the base's.",
                worse.sentence().substring(0, worse.sentence().indexOf('.', 70) + 1));

        GateVerdict unmeasured = PromotionGate.evaluate(GatePolicy.careful(), new GateInputs(LOSS_BETTER, Map.of(),
                null, null));
        assertEquals("ROUGE-L gain", unmeasured.deciding().name());
        assertTrue(unmeasured.sentence().contains("ROUGE-L gain is unknown: no generations were scored with it. "
                + "Also failed: the general-text perplexity was not measured"), unmeasured.sentence());
    }

    @Test
    void aJudgeReplacesTheMetricConditionsWhenItRan() {
        PairedComparison judge = PairedStatistics.DEFAULT.winRate(new double[] {1, 1, 0.75, 1, 0.5, 1, 1, 0.75, 1,
            1, 0, 1});
        Map<Metric, PairedComparison> mixed = Map.of(Metric.ROUGE_L, rouge(MIXED));
        GateVerdict v = PromotionGate.evaluate(GatePolicy.careful(), new GateInputs(LOSS_BETTER, mixed, judge,
                PPL_SAME));
        assertTrue(v.promoted(), v.sentence());
        assertEquals("judge win-rate gain", v.deciding().name());
        assertFalse(v.conditions().stream().anyMatch(c -> c.name().equals("ROUGE-L gain")));
        assertTrue(v.sentence().contains("win rate 0.833, 12 examples: 10 wins, 1 ties, 1 losses"), v.sentence());

        GatePolicy both = new GatePolicy(null, GatePolicy.careful().metrics(),
                new JudgeCondition(Bound.LOWER_BOUND, 0.0, false), null, 0.95);
        GateVerdict v2 = PromotionGate.evaluate(both, new GateInputs(null, mixed, judge, null));
        assertEquals(Decision.REJECT, v2.decision());
        assertEquals("ROUGE-L gain", v2.deciding().name());
        assertEquals(2, v2.conditions().size());
    }

    @Test
    void intervalsMustBeAtThePolicysConfidence() {
        PairedComparison at90 = new PairedStatistics(new PairedBootstrap(2000, 0.90, 1), 1e-9)
                .compare(BASE, BETTER, true, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromotionGate.evaluate(
                GatePolicy.careful(), new GateInputs(LOSS_BETTER, Map.of(Metric.ROUGE_L, at90), null, PPL_SAME)));
        assertTrue(e.getMessage().contains("at 90.0 % confidence but the gate requires 95.0 %"), e.getMessage());
    }
}
