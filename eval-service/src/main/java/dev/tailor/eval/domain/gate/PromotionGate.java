package dev.tailor.eval.domain.gate;

import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.stats.PairedComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks a tuned model against a {@link GatePolicy}: the loss condition, then the quality conditions (the judge's
 * when a judge ran and it replaces the metrics, else each metric's, plus the judge's when it is additional), then
 * the forgetting condition. Gains must be strictly above their thresholds; the perplexity increase may equal its
 * limit. A condition whose input was not measured fails.
 */
public final class PromotionGate {

    private PromotionGate() {
    }

    public static GateVerdict evaluate(GatePolicy policy, GateInputs in) {
        List<ConditionResult> results = new ArrayList<>();
        List<ConditionResult> quality = new ArrayList<>();
        if (policy.loss() != null) {
            results.add(loss(policy.loss(), in.testLoss()));
        }
        boolean judgeRan = in.judge() != null && policy.judge() != null;
        if (!(judgeRan && policy.judge().replacesMetrics())) {
            for (MetricCondition m : policy.metrics()) {
                quality.add(metric(m, in.comparisons().get(m.metric()), policy.confidence()));
            }
        }
        if (judgeRan) {
            quality.add(judge(policy.judge(), in.judge(), policy.confidence()));
        }
        results.addAll(quality);
        if (policy.forgetting() != null) {
            results.add(forgetting(policy.forgetting(), in.generalPerplexity()));
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException("the gate policy has only a judge condition and no judge ran; add a "
                    + "metric or loss condition, or run the judge");
        }
        List<ConditionResult> failed = results.stream().filter(r -> !r.passed()).toList();
        if (failed.isEmpty()) {
            ConditionResult deciding = quality.isEmpty() ? results.get(0) : quality.get(0);
            String rest = others(results, deciding);
            return new GateVerdict(Decision.PROMOTE, deciding, results, "Promoted: the " + deciding.detail()
                    + (rest.isEmpty() ? "" : "; and the " + rest) + ".");
        }
        ConditionResult deciding = failed.get(0);
        List<ConditionResult> alsoFailed = failed.subList(1, failed.size());
        List<ConditionResult> passed = results.stream().filter(ConditionResult::passed).toList();
        StringBuilder s = new StringBuilder("Rejected: the ").append(deciding.detail()).append('.');
        if (!alsoFailed.isEmpty()) {
            s.append(" Also failed: the ").append(join(alsoFailed)).append('.');
        }
        if (!passed.isEmpty()) {
            s.append(" Passed: the ").append(join(passed)).append('.');
        }
        return new GateVerdict(Decision.REJECT, deciding, results, s.toString());
    }

    private static ConditionResult loss(LossCondition c, BaseTuned loss) {
        String name = "test loss";
        double need = c.minRelativeImprovement();
        if (loss == null) {
            return new ConditionResult(name, false, null, need, "test loss was not measured");
        }
        if (!Double.isFinite(loss.tuned())) {
            return new ConditionResult(name, false, null, need, "tuned model's test loss is " + loss.tuned()
                    + ": training diverged; retrain with a lower learning rate");
        }
        if (!(loss.base() > 0) || !Double.isFinite(loss.base())) {
            return new ConditionResult(name, false, null, need, "base model's test loss is " + loss.base()
                    + ", so no improvement can be measured");
        }
        double improvement = -loss.relativeChange();
        boolean ok = improvement > need;
        String needed = need == 0 ? "must be lower than the base's" : fmt("must fall by more than %.1f %%", 100 * need);
        return new ConditionResult(name, ok, improvement, need, fmt("test loss %.4f vs base %.4f (%+.1f %%) %s",
                loss.tuned(), loss.base(), -100 * improvement, ok ? "is lower as required" : needed));
    }

    private static ConditionResult metric(MetricCondition c, PairedComparison p, double confidence) {
        String name = c.metric().label() + " gain";
        if (p == null) {
            return new ConditionResult(name, false, null, c.minGain(), c.metric().label()
                    + " gain is unknown: no generations were scored with it");
        }
        String what = c.metric().label() + " gain";
        String numbers = fmt("base %.3f → tuned %.3f, %s", p.meanBase(), p.meanTuned(), counts(p));
        return gain(name, what, c.on(), c.minGain(), p, confidence, numbers);
    }

    private static ConditionResult judge(JudgeCondition c, PairedComparison p, double confidence) {
        String numbers = fmt("win rate %.3f, %s", p.meanTuned(), counts(p));
        return gain("judge win-rate gain", "judge's win-rate gain", c.on(), c.minWinRateGain(), p, confidence,
                numbers);
    }

    private static ConditionResult gain(String name, String what, Bound on, double threshold, PairedComparison p,
                                        double confidence, String numbers) {
        if (Math.abs(p.interval().confidence() - confidence) > 1e-9) {
            throw new IllegalArgumentException("the " + what + " interval is at " + p.interval().percent()
                    + " % confidence but the gate requires " + 100 * confidence + " %; compute it with the policy's "
                    + "confidence");
        }
        double value = on == Bound.MEAN ? p.meanGain() : p.interval().lower();
        boolean ok = value > threshold;
        String level = p.interval().level();
        String stat = on == Bound.MEAN ? "mean " + what : fmt("lower %s %% bound of the %s", level, what);
        String detail = fmt("%s is %+.3f (mean %+.3f, %s %% CI [%+.3f, %+.3f]; %s), %s %+.3f", stat, value,
                p.meanGain(), level, p.interval().lower(), p.interval().upper(), numbers,
                ok ? "above" : "not above", threshold);
        return new ConditionResult(name, ok, value, threshold, detail);
    }

    private static ConditionResult forgetting(ForgettingCondition c, BaseTuned ppl) {
        String name = "general-text perplexity";
        double limit = c.maxPerplexityIncrease();
        if (ppl == null) {
            return new ConditionResult(name, false, null, limit, "general-text perplexity was not measured, so "
                    + "forgetting is unknown");
        }
        double rise = ppl.relativeChange();
        if (!Double.isFinite(rise) || !Double.isFinite(ppl.tuned())) {
            return new ConditionResult(name, false, null, limit, fmt("general-text perplexity is %s for the tuned "
                    + "model vs %s for the base, so forgetting cannot be bounded", ppl.tuned(), ppl.base()));
        }
        boolean ok = rise <= limit;
        return new ConditionResult(name, ok, rise, limit, fmt("general-text perplexity %.2f vs base %.2f (%+.1f %%) "
                + "is %s the %+.1f %% limit", ppl.tuned(), ppl.base(), 100 * rise, ok ? "within" : "beyond",
                100 * limit));
    }

    private static String counts(PairedComparison p) {
        return fmt("%d examples: %d wins, %d ties, %d losses", p.examples(), p.winTieLoss().wins(),
                p.winTieLoss().ties(), p.winTieLoss().losses());
    }

    private static String others(List<ConditionResult> all, ConditionResult except) {
        return join(all.stream().filter(r -> r != except).toList());
    }

    private static String join(List<ConditionResult> rs) {
        return rs.stream().map(ConditionResult::detail).collect(Collectors.joining("; the "));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
