package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.request.SweepCandidate;
import dev.tailor.eval.domain.gate.Bound;
import dev.tailor.eval.domain.gate.GatePolicy;
import dev.tailor.eval.domain.gate.MetricCondition;
import dev.tailor.eval.domain.stats.PairedComparison;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the one candidate of a training sweep to promote: among the candidates that passed the gate, the best by
 * the gate's quality statistic (the judge's win-rate gain when a judge ran and replaces the metrics, else the first
 * metric condition's gain, its lower bound or mean as the condition reads it; the relative test-loss improvement
 * for a gate of loss alone), ties broken by lower test loss. The others are rejected with the reason; every
 * candidate keeps its report.
 */
public final class SweepDecision {

    /** The candidates' reports with their final verdicts, in the order given. */
    public List<EvalReport> decide(List<EvalReport> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        EvalReport best = candidates.stream().filter(EvalReport::promoted)
                .max(Comparator.comparingDouble(SweepDecision::score)
                        .thenComparing(r -> -r.testLoss().tuned())
                        .thenComparing(EvalReport::evaluationId, Comparator.reverseOrder()))
                .orElse(null);
        List<EvalReport> out = new ArrayList<>(candidates.size());
        for (EvalReport r : candidates) {
            SweepCandidate s = r.sweep();
            SweepCandidate decided = new SweepCandidate(s.sweepId(), s.index(), s.candidates(),
                    best == null ? null : best.tuned().id());
            if (r == best) {
                out.add(r.withVerdict(EvalReport.PROMOTE, String.format(Locale.ROOT, "Best of %d sweep candidates by "
                        + "%s (%+.4f). %s", s.candidates(), statistic(r), score(r), r.reason()), decided));
            } else if (r.promoted()) {
                out.add(r.withVerdict(EvalReport.REJECT, String.format(Locale.ROOT, "Passed the gate, but sweep "
                        + "candidate %s scored higher on %s (%+.4f vs %+.4f), so it is promoted instead. %s",
                        best.tuned().id(), statistic(r), score(best), score(r), r.reason()), decided));
            } else {
                out.add(r.withVerdict(EvalReport.REJECT, r.reason(), decided));
            }
        }
        return out;
    }

    /** The statistic candidates are ranked by, for people: e.g. {@code the lower 95 % bound of the ROUGE-L gain}. */
    static String statistic(EvalReport r) {
        GatePolicy p = r.gate().policy();
        boolean judged = r.judge() != null && r.judge().winRate() != null && p.judge() != null;
        if (!judged && p.metrics().isEmpty()) {
            return "the relative test-loss improvement";
        }
        Bound on = judged ? p.judge().on() : p.metrics().isEmpty() ? Bound.LOWER_BOUND : p.metrics().get(0).on();
        String what = judged ? "judge win-rate gain" : label(r) + " gain";
        return on == Bound.MEAN ? "the mean " + what : "the lower bound of the " + what;
    }

    /** The candidate's value of that statistic; −∞ when it was not measured. */
    static double score(EvalReport r) {
        GatePolicy p = r.gate().policy();
        PairedComparison c;
        Bound on;
        if (r.judge() != null && r.judge().winRate() != null && p.judge() != null) {
            c = r.judge().winRate();
            on = p.judge().on();
        } else if (p.metrics().isEmpty()) {
            double change = r.testLoss() == null ? Double.NaN : r.testLoss().relativeChange();
            return Double.isFinite(change) ? -change : Double.NEGATIVE_INFINITY;
        } else {
            MetricCondition m = p.metrics().get(0);
            MetricRow row = r.metric(m.metric().key());
            c = row == null ? null : row.comparison();
            on = m.on();
        }
        if (c == null) {
            return Double.NEGATIVE_INFINITY;
        }
        return on == Bound.MEAN ? c.meanGain() : c.interval().lower();
    }

    private static String label(EvalReport r) {
        GatePolicy p = r.gate().policy();
        return p.metrics().isEmpty() ? "ROUGE-L" : p.metrics().get(0).metric().label();
    }
}
