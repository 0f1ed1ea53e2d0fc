package dev.tailor.eval.domain.advice;

import dev.tailor.eval.domain.format.FormatSummary;
import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.slices.MetricSummary;
import dev.tailor.eval.domain.slices.SliceStats;
import dev.tailor.eval.domain.stats.PairedComparison;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Derives recommendations for the next round of training from an evaluation's numbers. Each rule fires only on
 * its evidence, which the recommendation states: leakage between test and training examples; validation loss
 * rising after some epoch; loss improving while the gate's generation metric does not; answers hitting the
 * max-token limit; answers leaking chat-format markers; small slices that lag.
 */
public record Advisor(AdviceThresholds thresholds) {
    public static final Advisor DEFAULT = new Advisor(AdviceThresholds.DEFAULT);
    /** At most this many slices get a "more data" recommendation. */
    static final int MAX_SLICE_ADVICE = 3;

    public Advisor {
        if (thresholds == null) {
            throw new IllegalArgumentException("an advisor needs thresholds, e.g. AdviceThresholds.DEFAULT");
        }
    }

    public List<Recommendation> advise(AdviceInputs in) {
        List<Recommendation> out = new ArrayList<>();
        leakage(in).ifPresent(out::add);
        overfitting(in.curve()).ifPresent(out::add);
        generationSetup(in).ifPresent(out::add);
        maxTokens(in).ifPresent(out::add);
        chatFormat(in).ifPresent(out::add);
        out.addAll(moreData(in));
        return out;
    }

    Optional<Recommendation> leakage(AdviceInputs in) {
        Leakage l = in.leakage();
        if (l == null || l.testExamples() == 0 || l.share() <= thresholds.leakageShare()) {
            return Optional.empty();
        }
        return Optional.of(new Recommendation(Recommendation.Kind.LEAKAGE,
                "Test scores overstate how the model does on new questions: remove test examples that "
                        + "near-duplicate training examples (cleaning's cross-split deduplication) or evaluate on a "
                        + "separate eval set.",
                fmt("%d of %d test examples (%.0f %%) near-duplicate a training example (similarity >= %.2f), above "
                        + "the %.0f %% warning level.", l.nearDuplicates(), l.testExamples(), 100 * l.share(),
                        l.similarityThreshold(), 100 * thresholds.leakageShare())));
    }

    Optional<Recommendation> overfitting(List<LossPoint> curve) {
        List<LossPoint> v = curve.stream().filter(LossPoint::hasValidation)
                .sorted(Comparator.comparingLong(LossPoint::step)).toList();
        if (v.size() < 2) {
            return Optional.empty();
        }
        LossPoint best = v.get(0);
        for (LossPoint p : v) {
            if (p.validationLoss() < best.validationLoss()) {
                best = p;
            }
        }
        LossPoint last = v.get(v.size() - 1);
        double rise = last.validationLoss() / best.validationLoss() - 1;
        if (last == best || !(rise > thresholds.validationRise())) {
            return Optional.empty();
        }
        String train = last.trainLoss() < best.trainLoss()
                ? fmt(" while training loss kept falling (%.3f → %.3f): the model memorises the training set",
                best.trainLoss(), last.trainLoss())
                : fmt(" and training loss went %.3f → %.3f", best.trainLoss(), last.trainLoss());
        return Optional.of(new Recommendation(Recommendation.Kind.OVERFITTING,
                fmt("Train for fewer epochs (about %s, where validation loss was lowest) or with a lower learning "
                        + "rate.", epochs(best.epoch())),
                fmt("Validation loss was lowest at epoch %s (step %d: %.3f) and rose to %.3f by epoch %s (step %d, "
                        + "%+.1f %%)%s.", epochs(best.epoch()), best.step(), best.validationLoss(),
                        last.validationLoss(), epochs(last.epoch()), last.step(), 100 * rise, train)));
    }

    Optional<Recommendation> generationSetup(AdviceInputs in) {
        PairedComparison c = in.comparison();
        if (in.testLoss() == null || c == null || in.metric() == null) {
            return Optional.empty();
        }
        double lossChange = in.testLoss().relativeChange();
        if (!(lossChange < 0) || c.interval().lower() > 0) {
            return Optional.empty();
        }
        StringBuilder evidence = new StringBuilder(fmt("Test loss fell %.4f → %.4f (%+.1f %%) but the %s gain is "
                        + "%+.3f (%s %% CI [%+.3f, %+.3f]), not reliably above zero", in.testLoss().base(),
                in.testLoss().tuned(), 100 * lossChange, in.metric().label(), c.meanGain(),
                c.interval().level(), c.interval().lower(), c.interval().upper()));
        FormatSummary f = in.tunedFormat();
        if (f != null && f.answers() > 0) {
            evidence.append(fmt("; %.0f %% of tuned answers hit the max-token limit and %.0f %% leak chat-format "
                    + "markers", 100 * f.hitMaxTokensShare(), 100 * f.leakedShare()));
        }
        return Optional.of(new Recommendation(Recommendation.Kind.GENERATION_SETUP,
                "Check the chat template (training and generation must render prompts alike), the stop tokens (the "
                        + "template's end-of-turn token must end generation) and max-length truncation (answers cut "
                        + "off in training teach the model not to stop).",
                evidence.append('.').toString()));
    }

    Optional<Recommendation> maxTokens(AdviceInputs in) {
        FormatSummary f = in.tunedFormat();
        if (f == null || f.answers() == 0 || f.hitMaxTokensShare() < thresholds.maxTokensShare()) {
            return Optional.empty();
        }
        String limit = in.maxTokens() == null ? "" : " (" + in.maxTokens() + " tokens)";
        String base = in.baseFormat() == null || in.baseFormat().answers() == 0 ? ""
                : fmt(", against %d of %d (%.0f %%) for the base model", in.baseFormat().hitMaxTokens(),
                in.baseFormat().answers(), 100 * in.baseFormat().hitMaxTokensShare());
        return Optional.of(new Recommendation(Recommendation.Kind.MAX_TOKENS,
                "Raise max tokens if the reference answers are longer than the limit; otherwise check that the model "
                        + "ends its answers: the end-of-sequence token in the training targets and among the "
                        + "generation's stop tokens.",
                fmt("%d of %d tuned answers (%.0f %%) stopped at the max-token limit%s%s.", f.hitMaxTokens(),
                        f.answers(), 100 * f.hitMaxTokensShare(), limit, base)));
    }

    Optional<Recommendation> chatFormat(AdviceInputs in) {
        FormatSummary f = in.tunedFormat();
        if (f == null || f.answers() == 0 || f.leaked() == 0 || f.leakedShare() < thresholds.leakedShare()) {
            return Optional.empty();
        }
        String markers = f.markerCounts().entrySet().stream().limit(5)
                .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
        return Optional.of(new Recommendation(Recommendation.Kind.CHAT_FORMAT,
                "Check that training and generation use the same chat template and that its end-of-turn token is a "
                        + "stop token, so answers end with their turn.",
                fmt("%d of %d tuned answers (%.0f %%) contain chat-format markers: %s.", f.leaked(), f.answers(),
                        100 * f.leakedShare(), markers)));
    }

    List<Recommendation> moreData(AdviceInputs in) {
        Metric metric = in.metric();
        if (metric == null || in.overall() == null || !in.overall().metrics().containsKey(metric)) {
            return List.of();
        }
        double overall = in.overall().metrics().get(metric).meanTuned();
        int total = in.overall().count();
        int sign = metric.higherIsBetter() ? 1 : -1;
        List<Map.Entry<SliceStats, Double>> lagging = new ArrayList<>();
        for (SliceStats s : in.slices()) {
            MetricSummary m = s.metrics().get(metric);
            if (m == null || s.count() >= total) {
                continue;
            }
            double gap = sign * (overall - m.meanTuned());
            boolean lags = gap >= thresholds.laggingAbsolute()
                    && gap >= thresholds.laggingRelative() * Math.abs(overall);
            boolean small = s.count() < thresholds.fewExamples() || s.count() < thresholds.fewShare() * total;
            if (lags && small) {
                lagging.add(Map.entry(s, gap));
            }
        }
        lagging.sort(Map.Entry.<SliceStats, Double>comparingByValue().reversed());
        List<Recommendation> out = new ArrayList<>();
        for (Map.Entry<SliceStats, Double> e : lagging.subList(0, Math.min(MAX_SLICE_ADVICE, lagging.size()))) {
            SliceStats s = e.getKey();
            double mean = s.metrics().get(metric).meanTuned();
            String relative = overall == 0 ? "" : fmt(" (%+.0f %%)", 100 * (mean - overall) / Math.abs(overall));
            out.add(new Recommendation(Recommendation.Kind.MORE_DATA,
                    fmt("Add training examples for %s: it has few examples and the tuned model lags there.", s.name()),
                    fmt("%s on %s is %.3f vs %.3f over all examples%s, from %d of %d test examples (%.0f %%).",
                            metric.label(), s.name(), mean, overall, relative, s.count(), total,
                            100.0 * s.count() / total)));
        }
        return out;
    }

    private static String epochs(double epoch) {
        return epoch == Math.rint(epoch) ? String.valueOf((long) epoch) : fmt("%.2f", epoch);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
