package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.request.Lineage;
import dev.tailor.eval.domain.advice.LossPoint;
import dev.tailor.eval.domain.advice.Recommendation;
import dev.tailor.eval.domain.format.FormatSummary;
import dev.tailor.eval.domain.gate.ConditionResult;
import dev.tailor.eval.domain.slices.Failure;
import dev.tailor.eval.domain.stats.PairedComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evals/{evaluationId}/report.html}: the report for people, one self-contained page (inline CSS and SVG, no
 * script, nothing loaded from elsewhere): the verdict with its intervals, the metric table, charts, weakest slices,
 * recommendations, side-by-side examples and lineage. Every text from the data is escaped.
 */
public final class ReportHtml {
    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;"
            + "color:#222;line-height:1.4}h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}"
            + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "vertical-align:top;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}"
            + "pre{white-space:pre-wrap;margin:0;font-family:inherit;max-height:14em;overflow:auto}"
            + ".PROMOTE{color:#fff;background:#1a7f37}.REJECT{color:#fff;background:#c62828}"
            + ".badge{padding:2px 10px;border-radius:4px;font-size:.8em;vertical-align:middle}"
            + ".pass{color:#1a7f37}.fail{color:#c62828}.warn{background:#fff4e5;border-left:4px solid #d9822b;"
            + "padding:.5em 1em}.verdict{font-size:1.1em;background:#f5f7fa;padding:.7em 1em;border-radius:6px}"
            + "svg{font-size:11px;display:block;margin:.5em 0}svg .tick{fill:#555}small{color:#666}";

    private ReportHtml() {
    }

    public static String render(EvalReport r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation of ")
                .append(e(r.tuned().id())).append("</title>\n<style>").append(CSS).append("</style></head><body>\n");
        b.append("<h1>").append(e(r.tuned().id())).append(" vs ").append(e(r.baseline().id())).append(" <span class=\"badge ")
                .append(e(r.verdict())).append("\">").append(e(r.verdict())).append("</span></h1>\n");
        b.append("<p class=\"verdict\">").append(e(r.reason())).append("</p>\n");
        conditions(b, r);
        if (r.leakage() != null && r.leakage().nearDuplicates() > 0) {
            b.append("<p class=\"warn\"><b>Leakage:</b> ").append(r.leakage().nearDuplicates()).append(" of ")
                    .append(r.leakage().testExamples()).append(" test examples (")
                    .append(pct(r.leakage().share())).append(") near-duplicate a training example (similarity ≥ ")
                    .append(fmt("%.2f", r.leakage().similarityThreshold()))
                    .append("): scores on them overstate how the model does on new questions.</p>\n");
        }
        metrics(b, r);
        charts(b, r);
        formatAndForgetting(b, r);
        judge(b, r);
        weakSlices(b, r);
        recommendations(b, r);
        examples(b, r, "Largest gains", r.largestGains());
        examples(b, r, "Worst regressions", r.worstRegressions());
        lineage(b, r);
        return b.append("</body></html>\n").toString();
    }

    private static void conditions(StringBuilder b, EvalReport r) {
        b.append("<h2>Gate</h2>\n<table><tr><th></th><th>condition</th><th>check with numbers</th></tr>\n");
        ConditionResult deciding = r.gate().verdict().deciding();
        for (ConditionResult c : r.gate().verdict().conditions()) {
            b.append("<tr><td class=\"").append(c.passed() ? "pass\">✓" : "fail\">✗").append("</td><td>")
                    .append(e(c.name())).append(c.equals(deciding) ? " <b>(deciding)</b>" : "").append("</td><td>")
                    .append(e(c.detail())).append("</td></tr>\n");
        }
        b.append("</table>\n<p><small>Policy: <code>").append(e(r.gate().policy().toJson()))
                .append("</code></small></p>\n");
    }

    private static void metrics(StringBuilder b, EvalReport r) {
        b.append("<h2>Metrics</h2>\n<p>").append(r.examples()).append(" test examples; ").append(r.generated())
                .append(" answers generated per model. Gain = tuned − baseline, signed so that positive is better; ")
                .append("intervals are paired bootstrap percentile intervals.</p>\n");
        b.append("<table><tr><th>metric</th><th>baseline</th><th>tuned</th><th>gain</th><th>interval</th>"
                + "<th>wins / ties / losses</th><th>McNemar p</th></tr>\n");
        if (r.testLoss() != null) {
            b.append("<tr><td>test loss (all answer tokens)</td><td class=\"n\">").append(fmt("%.4f", r.testLoss().base()))
                    .append("</td><td class=\"n\">").append(fmt("%.4f", r.testLoss().tuned()))
                    .append("</td><td class=\"n\">").append(fmt("%+.1f %%", -100 * r.testLoss().relativeChange()))
                    .append("</td><td></td><td></td><td></td></tr>\n");
        }
        for (MetricRow m : r.metrics()) {
            PairedComparison c = m.comparison();
            b.append("<tr><td>").append(e(m.label())).append(m.higherIsBetter() ? "" : " (lower is better)")
                    .append("</td><td class=\"n\">").append(fmt("%.4f", c.meanBase())).append("</td><td class=\"n\">")
                    .append(fmt("%.4f", c.meanTuned())).append("</td><td class=\"n\">").append(fmt("%+.4f", c.meanGain()))
                    .append("</td><td class=\"n\">").append(c.interval().level()).append(" % [")
                    .append(fmt("%+.4f", c.interval().lower())).append(", ").append(fmt("%+.4f", c.interval().upper()))
                    .append("]</td><td class=\"n\">").append(c.winTieLoss().wins()).append(" / ")
                    .append(c.winTieLoss().ties()).append(" / ").append(c.winTieLoss().losses())
                    .append("</td><td class=\"n\">").append(c.mcnemar() == null ? "" : fmt("%.3g", c.mcnemar().pValue()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void charts(StringBuilder b, EvalReport r) {
        b.append("<h2>Charts</h2>\n");
        List<double[]> train = new ArrayList<>();
        List<double[]> validation = new ArrayList<>();
        for (LossPoint p : r.lossCurve()) {
            if (Double.isFinite(p.trainLoss())) {
                train.add(new double[] {p.step(), p.trainLoss()});
            }
            if (p.hasValidation()) {
                validation.add(new double[] {p.step(), p.validationLoss()});
            }
        }
        String curve = Svg.lines("Training and validation loss", "optimizer step", "loss (nats/token)",
                List.of(new Svg.Series("training loss", Svg.TUNED_COLOR, train),
                        new Svg.Series("validation loss", Svg.VALIDATION_COLOR, validation)));
        b.append(curve.isEmpty() ? "<p><small>No training metrics for this model (metrics.jsonl).</small></p>\n"
                : "<h3>Training and validation loss</h3>\n" + curve);
        List<Svg.Interval> gains = new ArrayList<>();
        for (MetricRow m : r.metrics()) {
            PairedComparison c = m.comparison();
            gains.add(new Svg.Interval(m.label(), c.meanGain(), c.interval().lower(), c.interval().upper(),
                    c.interval().lower() > 0));
        }
        if (r.judge() != null && r.judge().winRate() != null) {
            PairedComparison c = r.judge().winRate();
            gains.add(new Svg.Interval("judge win rate", c.meanGain(), c.interval().lower(), c.interval().upper(),
                    c.interval().lower() > 0));
        }
        if (!gains.isEmpty()) {
            b.append("<h3>Per-metric gains with their intervals</h3>\n")
                    .append(Svg.forest("Per-metric gains with intervals", gains));
        }
        String metric = gateMetric(r);
        MetricRow row = r.metric(metric);
        if (row != null) {
            List<Svg.Pair> pairs = new ArrayList<>();
            for (SliceRow s : r.slices()) {
                SliceRow.Cell c = s.cell(metric);
                if (c != null && !"all".equals(s.by())) {
                    pairs.add(new Svg.Pair(s.name() + " (" + s.count() + ")", c.meanBase(), c.meanTuned()));
                }
            }
            if (!pairs.isEmpty()) {
                b.append("<h3>").append(e(row.label())).append(" per slice</h3>\n")
                        .append(Svg.bars(row.label() + " per slice", row.label(), pairs));
            }
        }
    }

    /** The metric the gate's first metric condition names (ROUGE-L by default). */
    static String gateMetric(EvalReport r) {
        return r.gate().policy().metrics().isEmpty() ? "rouge_l" : r.gate().policy().metrics().get(0).metric().key();
    }

    private static void formatAndForgetting(StringBuilder b, EvalReport r) {
        b.append("<h2>Format and forgetting</h2>\n<table><tr><th></th><th>baseline</th><th>tuned</th></tr>\n");
        format(b, "answers that stopped (EOS or stop string)", r.baseFormat(), r.tunedFormat(), true);
        format(b, "answers that hit max tokens", r.baseFormat(), r.tunedFormat(), false);
        if (r.baseFormat() != null && r.tunedFormat() != null) {
            b.append("<tr><td>answers leaking chat-format markers</td><td class=\"n\">")
                    .append(share(r.baseFormat().leaked(), r.baseFormat().answers())).append("</td><td class=\"n\">")
                    .append(share(r.tunedFormat().leaked(), r.tunedFormat().answers())).append("</td></tr>\n");
        }
        if (r.generalPerplexity() != null) {
            b.append("<tr><td>general-text perplexity</td><td class=\"n\">")
                    .append(fmt("%.2f", r.generalPerplexity().base())).append("</td><td class=\"n\">")
                    .append(fmt("%.2f", r.generalPerplexity().tuned())).append(" (")
                    .append(fmt("%+.1f %%", 100 * r.generalPerplexity().relativeChange())).append(")</td></tr>\n");
        }
        b.append("</table>\n");
        if (!r.generalTextSources().isEmpty()) {
            b.append("<p><small>General text: ").append(e(String.join("; ", r.generalTextSources())))
                    .append("</small></p>\n");
        }
        if (r.tunedFormat() != null && !r.tunedFormat().markerCounts().isEmpty()) {
            b.append("<p>Markers in tuned answers: ");
            r.tunedFormat().markerCounts().forEach((k, v) -> b.append("<code>").append(e(k)).append("</code> × ")
                    .append(v).append(" "));
            b.append("</p>\n");
        }
    }

    private static void format(StringBuilder b, String label, FormatSummary base, FormatSummary tuned, boolean stop) {
        if (base == null || tuned == null) {
            return;
        }
        b.append("<tr><td>").append(label).append("</td><td class=\"n\">")
                .append(share(stop ? base.answers() - base.hitMaxTokens() : base.hitMaxTokens(), base.answers()))
                .append("</td><td class=\"n\">")
                .append(share(stop ? tuned.answers() - tuned.hitMaxTokens() : tuned.hitMaxTokens(), tuned.answers()))
                .append("</td></tr>\n");
    }

    private static void judge(StringBuilder b, EvalReport r) {
        JudgeSummary j = r.judge();
        if (j == null) {
            return;
        }
        b.append("<h2>LLM judge</h2>\n<p>Judge <code>").append(e(j.model())).append("</code> at <code>")
                .append(e(j.url())).append("</code> compared ").append(j.asked())
                .append(" examples, each in both orders (tuned as A, then as B); ").append(j.usable())
                .append(" gave a verdict, ").append(j.positionBiased())
                .append(" followed the position rather than the answer.");
        if (j.winRate() != null) {
            PairedComparison c = j.winRate();
            b.append(" Tuned win rate ").append(fmt("%.3f", c.meanTuned())).append(" (ties half), gain over ½ ")
                    .append(fmt("%+.3f", c.meanGain())).append(", ").append(c.interval().level()).append(" % interval [")
                    .append(fmt("%+.3f", c.interval().lower())).append(", ").append(fmt("%+.3f", c.interval().upper()))
                    .append("]; ").append(c.winTieLoss().wins()).append(" won, ").append(c.winTieLoss().ties())
                    .append(" tied, ").append(c.winTieLoss().losses()).append(" lost.");
        }
        b.append("</p>\n");
    }

    private static void weakSlices(StringBuilder b, EvalReport r) {
        b.append("<h2>Where the model falls short</h2>\n");
        if (r.weakSlices().isEmpty()) {
            b.append("<p>No slice of at least the minimum size lags the overall score.</p>\n");
            return;
        }
        for (WeakSliceRow w : r.weakSlices()) {
            b.append("<h3>").append(e(w.summary())).append("</h3>\n<table><tr><th>example</th><th>reference</th>"
                    + "<th>tuned answer</th><th>baseline answer</th><th>tuned / baseline</th></tr>\n");
            for (Failure f : w.failures()) {
                b.append("<tr><td>").append(e(f.id())).append("</td><td><pre>").append(e(f.reference()))
                        .append("</pre></td><td><pre>").append(e(f.tunedPrediction())).append("</pre></td><td><pre>")
                        .append(e(f.basePrediction())).append("</pre></td><td class=\"n\">")
                        .append(fmt("%.3f / %.3f", f.tunedScore(), f.baseScore())).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
    }

    private static void recommendations(StringBuilder b, EvalReport r) {
        b.append("<h2>Recommendations</h2>\n");
        if (r.recommendations().isEmpty()) {
            b.append("<p>Nothing in these numbers calls for a change.</p>\n");
            return;
        }
        b.append("<ul>\n");
        for (Recommendation rec : r.recommendations()) {
            b.append("<li><b>").append(e(rec.advice())).append("</b><br><small>Evidence: ").append(e(rec.evidence()))
                    .append("</small></li>\n");
        }
        b.append("</ul>\n");
    }

    private static void examples(StringBuilder b, EvalReport r, String title, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        String metric = gateMetric(r);
        b.append("<h2>").append(e(title)).append(" (").append(e(metric)).append(")</h2>\n<table><tr><th>example</th>"
                + "<th>question</th><th>reference</th><th>baseline answer</th><th>tuned answer</th></tr>\n");
        for (String id : ids) {
            ExampleRow x = r.results().stream().filter(row -> row.id().equals(id)).findFirst().orElse(null);
            if (x == null) {
                continue;
            }
            b.append("<tr><td>").append(e(x.id())).append("<br><small>").append(e(x.sourceKind()))
                    .append(x.sourceFile() == null ? "" : " · " + e(x.sourceFile())).append("<br>")
                    .append(score(x.base(), metric)).append(" → ").append(score(x.tuned(), metric))
                    .append("</small></td><td><pre>").append(e(x.question())).append("</pre></td><td><pre>")
                    .append(e(x.reference())).append("</pre></td><td><pre>").append(e(x.baseAnswer()))
                    .append("</pre></td><td><pre>").append(e(x.tunedAnswer())).append("</pre></td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void lineage(StringBuilder b, EvalReport r) {
        Lineage l = r.lineage();
        b.append("<h2>Lineage</h2>\n<table>\n");
        row(b, "tuned model", r.tuned().id() + (r.tuned().adapter() == null ? "" : " (" + r.tuned().adapter() + ")"));
        row(b, "baseline", r.baseline().id() + (r.baseline().isBase() ? " (base model)" : ""));
        row(b, "base model", r.tuned().baseModel());
        if (l != null) {
            row(b, "dataset", l.datasetId() == null ? null : l.datasetId() + " version " + l.datasetVersion());
            row(b, "training job", l.jobId());
            row(b, "continued from", l.parentModel());
            row(b, "test set", l.testSet());
            row(b, "training parameters", l.params() == null ? null : l.params().toString());
        }
        if (r.sweep() != null) {
            row(b, "sweep", r.sweep().sweepId() + ", candidate " + (r.sweep().index() + 1) + " of "
                    + r.sweep().candidates() + (r.sweep().best() == null ? "" : "; promoted: " + r.sweep().best()));
        }
        row(b, "settings", r.settings() == null ? null : r.settings().toJson().toString());
        row(b, "evaluation", r.evaluationId() + " (" + r.trigger() + "), " + r.evaluatedAt() + ", "
                + fmt("%.1f s, %.2f answers/s", r.seconds(), r.examplesPerSecond()));
        b.append("</table>\n");
    }

    private static void row(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append("<tr><th>").append(e(name)).append("</th><td><code>").append(e(value)).append("</code></td></tr>\n");
        }
    }

    private static String score(Map<String, Double> values, String metric) {
        Double v = values.get(metric);
        return v == null ? "–" : fmt("%.3f", v);
    }

    private static String share(int n, int of) {
        return of == 0 ? "–" : n + " of " + of + " (" + pct((double) n / of) + ")";
    }

    private static String pct(double share) {
        return fmt("%.0f %%", 100 * share);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String e(String s) {
        return HtmlText.esc(s);
    }
}
