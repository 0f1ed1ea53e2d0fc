package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.advice.AdviceInputs;
import dev.tailor.eval.domain.advice.Advisor;
import dev.tailor.eval.domain.advice.Leakage;
import dev.tailor.eval.domain.advice.LossPoint;
import dev.tailor.eval.domain.format.FormatCheck;
import dev.tailor.eval.domain.format.FormatSummary;
import dev.tailor.eval.domain.gate.BaseTuned;
import dev.tailor.eval.domain.gate.GateInputs;
import dev.tailor.eval.domain.gate.GatePolicy;
import dev.tailor.eval.domain.gate.GateVerdict;
import dev.tailor.eval.domain.gate.PromotionGate;
import dev.tailor.eval.domain.judge.Judgement;
import dev.tailor.eval.domain.judge.JudgeSettings;
import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.metrics.MetricValues;
import dev.tailor.eval.domain.request.EvalJob;
import dev.tailor.eval.domain.slices.ExampleResult;
import dev.tailor.eval.domain.slices.MetricSummary;
import dev.tailor.eval.domain.slices.SliceKey;
import dev.tailor.eval.domain.slices.SliceStats;
import dev.tailor.eval.domain.slices.Slicer;
import dev.tailor.eval.domain.slices.WeakSlice;
import dev.tailor.eval.domain.slices.WeakSlices;
import dev.tailor.eval.domain.stats.PairedComparison;
import dev.tailor.eval.domain.stats.PairedStatistics;
import dev.tailor.eval.domain.testset.TestCase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns what both models produced into the report: per-example results, paired statistics per metric (and the
 * judge's win rate), the gate's verdict, slices and the weakest of them, format summaries, recommendations and the
 * examples with the largest gains and worst regressions. Pure: the same inputs give the same report.
 */
public final class ReportAssembler {
    /** Examples shown with the largest gains and with the worst regressions. */
    static final int SHOWN_EXAMPLES = 3;
    private static final double TIE_TOLERANCE = 1e-9;

    private ReportAssembler() {
    }

    /** What the evaluation measured, besides the two models' results. */
    public record Extras(BaseTuned generalPerplexity, List<String> generalTextSources, List<Judgement> judgements,
                         List<LossPoint> lossCurve, Leakage leakage) {
        public Extras {
            generalTextSources = generalTextSources == null ? List.of() : List.copyOf(generalTextSources);
            judgements = judgements == null ? null : List.copyOf(judgements);
            lossCurve = lossCurve == null ? List.of() : List.copyOf(lossCurve);
        }
    }

    public static EvalReport assemble(EvalJob job, List<TestCase> cases, SideResults baseline, SideResults tuned,
                                      Extras extras, double seconds, double examplesPerSecond) {
        if (cases.size() != baseline.size() || cases.size() != tuned.size()) {
            throw new IllegalArgumentException("both models need one result per test case");
        }
        GatePolicy policy = job.options().gate();
        PairedStatistics stats = new PairedStatistics(job.options().metrics().bootstrap(policy.confidence()),
                TIE_TOLERANCE);
        List<ExampleResult> results = results(cases, baseline, tuned);
        Map<Metric, PairedComparison> comparisons = new EnumMap<>(Metric.class);
        List<MetricRow> rows = new ArrayList<>();
        for (Metric m : Metric.values()) {
            List<ExampleResult> having = results.stream().filter(r -> r.base().has(m) && r.tuned().has(m)).toList();
            if (having.isEmpty()) {
                continue;
            }
            double[] b = having.stream().mapToDouble(r -> r.base().get(m)).toArray();
            double[] t = having.stream().mapToDouble(r -> r.tuned().get(m)).toArray();
            PairedComparison c = stats.compare(b, t, m.higherIsBetter(), m.binary());
            comparisons.put(m, c);
            rows.add(new MetricRow(m.key(), m.label(), m.higherIsBetter(), c));
        }
        JudgeSummary judge = judge(job.options().judge(), extras.judgements(), stats);
        BaseTuned testLoss = new BaseTuned(baseline.tokenWeightedLoss(), tuned.tokenWeightedLoss());
        GateVerdict verdict = PromotionGate.evaluate(policy, new GateInputs(testLoss, comparisons,
                judge == null ? null : judge.winRate(), extras.generalPerplexity()));
        Metric gateMetric = policy.metrics().isEmpty() ? Metric.ROUGE_L : policy.metrics().get(0).metric();

        List<SliceKey> keys = new ArrayList<>(List.of(SliceKey.sourceKind(), SliceKey.sourceFile(),
                SliceKey.answerLength(), SliceKey.conversationLength()));
        job.options().slices().stream().map(SliceKey::parse).filter(k -> !keys.contains(k)).forEach(keys::add);
        Slicer slicer = Slicer.DEFAULT;
        SliceStats overall = results.isEmpty() ? null : slicer.overall(results);
        List<SliceStats> slices = new ArrayList<>();
        for (SliceKey k : keys) {
            slices.addAll(slicer.slices(results, k));
        }
        List<WeakSlice> weak = results.isEmpty() ? List.of() : WeakSlices.DEFAULT.find(results, keys, gateMetric);

        FormatSummary baseFormat = FormatSummary.of(formats(baseline));
        FormatSummary tunedFormat = FormatSummary.of(formats(tuned));
        var advice = Advisor.DEFAULT.advise(new AdviceInputs(extras.lossCurve(), testLoss, gateMetric,
                comparisons.get(gateMetric), baseFormat, tunedFormat, job.options().generation().maxNewTokens(),
                overall, slices, extras.leakage()));

        List<SliceRow> sliceRows = new ArrayList<>();
        if (overall != null) {
            sliceRows.add(sliceRow(overall));
        }
        slices.forEach(s -> sliceRows.add(sliceRow(s)));
        List<WeakSliceRow> weakRows = weak.stream().map(w -> new WeakSliceRow(w.slice().name(), w.metric().key(),
                w.tunedMean(), w.overallMean(), w.slice().count(), w.summary(), w.failures())).toList();
        List<ExampleResult> ranked = results.stream().filter(r -> r.base().has(gateMetric) && r.tuned().has(gateMetric))
                .sorted(Comparator.comparingDouble((ExampleResult r) -> -gain(r, gateMetric))
                        .thenComparing(ExampleResult::id)).toList();
        List<String> gains = ranked.stream().filter(r -> gain(r, gateMetric) > TIE_TOLERANCE).limit(SHOWN_EXAMPLES)
                .map(ExampleResult::id).toList();
        List<ExampleResult> worstFirst = new ArrayList<>(ranked);
        java.util.Collections.reverse(worstFirst);
        List<String> regressions = worstFirst.stream().filter(r -> gain(r, gateMetric) < -TIE_TOLERANCE)
                .limit(SHOWN_EXAMPLES).map(ExampleResult::id).toList();
        String decision = verdict.promoted() ? EvalReport.PROMOTE : EvalReport.REJECT;
        return new EvalReport(job.evaluationId(), job.trigger(), job.tuned(), job.baseline(), job.lineage(),
                cases.size(), (int) tuned.answers().stream().filter(a -> a != null).count(), testLoss,
                extras.generalPerplexity(), extras.generalTextSources(), rows, judge, baseFormat, tunedFormat,
                new GateReport(policy, verdict), sliceRows, weakRows, advice, extras.leakage(), extras.lossCurve(),
                exampleRows(cases, baseline, tuned, extras.judgements()), gains, regressions,
                job.options().redacted(), job.sweep(), decision, verdict.sentence(), Instant.now(), seconds,
                examplesPerSecond);
    }

    private static double gain(ExampleResult r, Metric m) {
        double d = r.tuned().get(m) - r.base().get(m);
        return m.higherIsBetter() ? d : -d;
    }

    static List<ExampleResult> results(List<TestCase> cases, SideResults baseline, SideResults tuned) {
        List<ExampleResult> out = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            TestCase c = cases.get(i);
            SideResults.Answer ba = baseline.answers().get(i);
            SideResults.Answer ta = tuned.answers().get(i);
            MetricValues b = ba == null || ta == null ? MetricValues.NONE : ba.values();
            MetricValues t = ba == null || ta == null ? MetricValues.NONE : ta.values();
            if (baseline.tokens()[i] > 0 && tuned.tokens()[i] > 0 && Double.isFinite(baseline.losses()[i])
                    && Double.isFinite(tuned.losses()[i])) {
                b = b.with(Metric.ANSWER_LOSS, baseline.losses()[i]);
                t = t.with(Metric.ANSWER_LOSS, tuned.losses()[i]);
            }
            out.add(new ExampleResult(c.id(), c.sourceKind(), c.sourceFile(), c.turns(), c.reference(),
                    ba == null ? "" : ba.text(), ta == null ? "" : ta.text(), b, t, c.metadata()));
        }
        return out;
    }

    private static JudgeSummary judge(JudgeSettings settings, List<Judgement> judgements, PairedStatistics stats) {
        if (settings == null || judgements == null) {
            return null;
        }
        double[] prefs = judgements.stream().filter(Judgement::usable).mapToDouble(Judgement::preference).toArray();
        int biased = (int) judgements.stream().filter(Judgement::positionBiased).count();
        return new JudgeSummary(settings.model(), settings.url(), judgements.size(), prefs.length, biased,
                prefs.length == 0 ? null : stats.winRate(prefs));
    }

    private static List<FormatCheck> formats(SideResults side) {
        return side.answers().stream().filter(a -> a != null).map(SideResults.Answer::format).toList();
    }

    private static SliceRow sliceRow(SliceStats s) {
        List<SliceRow.Cell> cells = new ArrayList<>();
        for (Map.Entry<Metric, MetricSummary> e : s.metrics().entrySet()) {
            MetricSummary m = e.getValue();
            cells.add(new SliceRow.Cell(e.getKey().key(), m.count(), m.meanBase(), m.meanTuned(), m.meanGain()));
        }
        return new SliceRow(s.key() == null ? "all" : s.key().label(), s.value(), s.count(), cells);
    }

    private static List<ExampleRow> exampleRows(List<TestCase> cases, SideResults baseline, SideResults tuned,
                                                List<Judgement> judgements) {
        Map<String, Judgement> byId = new LinkedHashMap<>();
        if (judgements != null) {
            judgements.forEach(j -> byId.put(j.exampleId(), j));
        }
        List<ExampleResult> results = results(cases, baseline, tuned);
        List<ExampleRow> out = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            TestCase c = cases.get(i);
            ExampleResult r = results.get(i);
            SideResults.Answer ba = baseline.answers().get(i);
            SideResults.Answer ta = tuned.answers().get(i);
            Judgement j = byId.get(c.id());
            out.add(new ExampleRow(c.id(), c.sourceKind().label(), c.sourceFile(), c.metadata(), c.turns(),
                    c.question(), c.reference(), r.basePrediction(), r.tunedPrediction(), values(r.base()),
                    values(r.tuned()), ba == null ? null : ba.format().finish().name().toLowerCase(),
                    ta == null ? null : ta.format().finish().name().toLowerCase(),
                    ta == null ? null : ta.format().leakedMarkers(),
                    j == null || !j.usable() ? null : j.preference(),
                    j == null ? null : List.of(j.rationaleFirst(), j.rationaleSecond())));
        }
        return out;
    }

    private static Map<String, Double> values(MetricValues v) {
        Map<String, Double> out = new TreeMap<>();
        v.values().forEach((k, x) -> out.put(k.key(), x));
        return out;
    }
}
