package dev.tailor.eval.domain.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.eval.domain.format.FinishReason;
import dev.tailor.eval.domain.format.FormatCheck;
import dev.tailor.eval.domain.format.FormatSummary;
import dev.tailor.eval.domain.gate.BaseTuned;
import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.metrics.MetricValues;
import dev.tailor.eval.domain.slices.ExampleResult;
import dev.tailor.eval.domain.slices.SliceKey;
import dev.tailor.eval.domain.slices.SliceStats;
import dev.tailor.eval.domain.slices.Slicer;
import dev.tailor.eval.domain.slices.SourceKind;
import dev.tailor.eval.domain.stats.PairedComparison;
import dev.tailor.eval.domain.stats.PairedStatistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdvisorTest {
    /** The demo's shape: 3 epochs of 26 steps, validation after each epoch. */
    private static final List<LossPoint> OVERFIT = List.of(
            new LossPoint(26, 1, 5.30, 5.008), new LossPoint(52, 2, 5.02, 5.060), new LossPoint(78, 3, 4.90, 5.210),
            new LossPoint(60, 2.3, 4.95, Double.NaN));
    private static final List<LossPoint> HEALTHY = List.of(
            new LossPoint(26, 1, 5.30, 5.20), new LossPoint(52, 2, 5.10, 5.05), new LossPoint(78, 3, 5.02, 5.008));

    private static AdviceInputs only(List<LossPoint> curve) {
        return new AdviceInputs(curve, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void risingValidationLossMeansFewerEpochsOrALowerLearningRate() {
        List<Recommendation> r = Advisor.DEFAULT.advise(only(OVERFIT));
        assertEquals(1, r.size());
        assertEquals(Recommendation.Kind.OVERFITTING, r.get(0).kind());
        assertEquals("Train for fewer epochs (about 1, where validation loss was lowest) or with a lower learning "
                + "rate.", r.get(0).advice());
        assertEquals("Validation loss was lowest at epoch 1 (step 26: 5.008) and rose to 5.210 by epoch 3 (step 78, "
                + "+4.0 %) while training loss kept falling (5.300 → 4.900): the model memorises the training set.",
                r.get(0).evidence());
        assertEquals(List.of(), Advisor.DEFAULT.advise(only(HEALTHY)));
        // a rise within the 1 % noise allowance is not overfitting
        assertEquals(List.of(), Advisor.DEFAULT.advise(only(List.of(new LossPoint(1, 1, 2, 2.000),
                new LossPoint(2, 2, 1.9, 2.015)))));
    }

    @Test
    void lossBetterButGenerationNotPointsAtTemplateStopTokensAndTruncation() {
        double[] base = {0.30, 0.10, 0.25, 0.40, 0.05, 0.20, 0.15, 0.35};
        double[] tuned = {0.28, 0.14, 0.22, 0.41, 0.07, 0.18, 0.16, 0.33};
        PairedComparison c = PairedStatistics.DEFAULT.compare(base, tuned, true, false);
        FormatSummary format = summary(8, 6, 0);
        AdviceInputs in = new AdviceInputs(HEALTHY, new BaseTuned(5.5698, 5.0380), Metric.ROUGE_L, c, summary(8, 1, 0),
                format, 64, null, null, null);
        List<Recommendation> r = Advisor.DEFAULT.advise(in);
        assertEquals(List.of(Recommendation.Kind.GENERATION_SETUP, Recommendation.Kind.MAX_TOKENS),
                r.stream().map(Recommendation::kind).toList());
        assertTrue(r.get(0).evidence().startsWith("Test loss fell 5.5698 → 5.0380 (-9.5 %) but the ROUGE-L gain is "
                + "-0.001 (95 % CI ["), r.get(0).evidence());
        assertTrue(r.get(0).evidence().endsWith("not reliably above zero; 75 % of tuned answers hit the max-token "
                + "limit and 0 % leak chat-format markers."), r.get(0).evidence());
        assertEquals("6 of 8 tuned answers (75 %) stopped at the max-token limit (64 tokens), against 1 of 8 (13 %) "
                + "for the base model.", r.get(1).evidence());
        // when the metric clearly improves, the setup is fine
        PairedComparison better = PairedStatistics.DEFAULT.compare(base, new double[] {0.5, 0.4, 0.45, 0.6, 0.3,
            0.4, 0.35, 0.55}, true, false);
        assertEquals(List.of(), Advisor.DEFAULT.advise(new AdviceInputs(HEALTHY, new BaseTuned(5.57, 5.04),
                Metric.ROUGE_L, better, null, summary(8, 0, 0), 64, null, null, null)));
    }

    @Test
    void leakedChatMarkersAndLeakageBetweenSplits() {
        List<FormatCheck> checks = new ArrayList<>(Collections.nCopies(7, new FormatCheck(FinishReason.STOP,
                List.of())));
        checks.add(new FormatCheck(FinishReason.STOP, List.of("<|im_end|>", "user:")));
        checks.add(new FormatCheck(FinishReason.STOP, List.of("<|im_end|>")));
        checks.add(new FormatCheck(FinishReason.LENGTH, List.of()));
        AdviceInputs in = new AdviceInputs(null, null, null, null, null, FormatSummary.of(checks), null, null, null,
                new Leakage(30, 7, 0.9));
        List<Recommendation> r = Advisor.DEFAULT.advise(in);
        assertEquals(List.of(Recommendation.Kind.LEAKAGE, Recommendation.Kind.CHAT_FORMAT),
                r.stream().map(Recommendation::kind).toList());
        assertEquals("7 of 30 test examples (23 %) near-duplicate a training example (similarity >= 0.90), above the "
                + "5 % warning level.", r.get(0).evidence());
        assertEquals("2 of 10 tuned answers (20 %) contain chat-format markers: <|im_end|> (2), user: (1).",
                r.get(1).evidence());
        assertEquals(List.of(), Advisor.DEFAULT.advise(new AdviceInputs(null, null, null, null, null, null, null,
                null, null, new Leakage(30, 1, 0.9))));
    }

    @Test
    void aSmallLaggingSliceNeedsMoreData() {
        List<ExampleResult> results = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            results.add(result("faq-" + i, SourceKind.FAQ, 0.2, 0.5));
        }
        for (int i = 0; i < 3; i++) {
            results.add(result("ticket-" + i, SourceKind.TICKET, 0.2, 0.2));
        }
        List<SliceStats> slices = Slicer.DEFAULT.slices(results, SliceKey.sourceKind());
        AdviceInputs in = new AdviceInputs(null, null, Metric.ROUGE_L, null, null, null, null,
                Slicer.DEFAULT.overall(results), slices, null);
        List<Recommendation> r = Advisor.DEFAULT.advise(in);
        assertEquals(1, r.size());
        assertEquals(Recommendation.Kind.MORE_DATA, r.get(0).kind());
        assertEquals("Add training examples for source kind = ticket: it has few examples and the tuned model lags "
                + "there.", r.get(0).advice());
        assertEquals("ROUGE-L on source kind = ticket is 0.200 vs 0.470 over all examples (-57 %), from 3 of 30 test "
                + "examples (10 %).", r.get(0).evidence());
    }

    @Test
    void thresholdsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new AdviceThresholds(0.01, 0.2, 0.02, 0, 0.1, 0.2, 0.05,
                0.05));
        assertThrows(IllegalArgumentException.class, () -> new AdviceThresholds(0.01, 0.2, 0.02, 10, 1.1, 0.2, 0.05,
                0.05));
        assertThrows(IllegalArgumentException.class, () -> new Leakage(3, 4, 0.9));
    }

    private static ExampleResult result(String id, SourceKind kind, double base, double tuned) {
        return new ExampleResult(id, kind, null, 1, "reference", "base", "tuned",
                new MetricValues(Map.of(Metric.ROUGE_L, base)), new MetricValues(Map.of(Metric.ROUGE_L, tuned)), null);
    }

    private static FormatSummary summary(int answers, int hitMax, int leaked) {
        List<FormatCheck> checks = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            checks.add(new FormatCheck(i < hitMax ? FinishReason.LENGTH : FinishReason.STOP,
                    i < leaked ? List.of("<|im_end|>") : List.of()));
        }
        return FormatSummary.of(checks);
    }
}
