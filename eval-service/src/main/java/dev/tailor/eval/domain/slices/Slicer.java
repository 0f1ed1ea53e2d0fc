package dev.tailor.eval.domain.slices;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups example results by a {@link SliceKey} and aggregates every metric per group.
 *
 * @param answerLength       buckets of the reference answer's word count
 * @param conversationLength buckets of the number of user turns
 */
public record Slicer(LengthBuckets answerLength, LengthBuckets conversationLength) {
    public static final Slicer DEFAULT = new Slicer(LengthBuckets.ANSWER_WORDS, LengthBuckets.TURNS);

    public Slicer {
        if (answerLength == null || conversationLength == null) {
            throw new IllegalArgumentException("a slicer needs answer-length and conversation-length buckets");
        }
    }

    /** The value of {@code key} for one example, e.g. {@code ticket}, {@code 11–30 words}, {@code (none)}. */
    public String valueOf(SliceKey key, ExampleResult r) {
        return switch (key.kind()) {
            case SOURCE_KIND -> r.sourceKind().label();
            case SOURCE_FILE -> r.sourceFile() == null || r.sourceFile().isBlank() ? SliceKey.MISSING : r.sourceFile();
            case ANSWER_LENGTH -> answerLength.label(r.referenceWords());
            case CONVERSATION_LENGTH -> conversationLength.label(r.turns());
            case METADATA -> {
                String v = r.metadata().get(key.field());
                yield v == null || v.isBlank() ? SliceKey.MISSING : v;
            }
        };
    }

    /**
     * The slices of {@code results} by {@code key}: length buckets in ascending order, source kinds in their
     * declared order, other values by name.
     */
    public List<SliceStats> slices(List<ExampleResult> results, SliceKey key) {
        Map<String, List<ExampleResult>> groups = new LinkedHashMap<>();
        Map<String, Integer> order = new LinkedHashMap<>();
        for (ExampleResult r : results) {
            String v = valueOf(key, r);
            groups.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
            order.putIfAbsent(v, switch (key.kind()) {
                case ANSWER_LENGTH -> answerLength.index(r.referenceWords());
                case CONVERSATION_LENGTH -> conversationLength.index(r.turns());
                case SOURCE_KIND -> r.sourceKind().ordinal();
                default -> 0;
            });
        }
        List<SliceStats> out = new ArrayList<>();
        groups.forEach((v, rs) -> out.add(aggregate(key, v, rs)));
        out.sort(Comparator.comparing((SliceStats s) -> order.get(s.value())).thenComparing(SliceStats::value));
        return out;
    }

    /** All examples as one slice. */
    public SliceStats overall(List<ExampleResult> results) {
        return aggregate(null, "all", results);
    }

    static SliceStats aggregate(SliceKey key, String value, List<ExampleResult> rs) {
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            int n = 0;
            double base = 0;
            double tuned = 0;
            for (ExampleResult r : rs) {
                if (r.base().has(m) && r.tuned().has(m)) {
                    n++;
                    base += r.base().get(m);
                    tuned += r.tuned().get(m);
                }
            }
            if (n > 0) {
                double gain = m.higherIsBetter() ? (tuned - base) / n : (base - tuned) / n;
                metrics.put(m, new MetricSummary(n, base / n, tuned / n, gain));
            }
        }
        return new SliceStats(key, value, rs.size(), metrics, rs.stream().map(ExampleResult::id).toList());
    }
}
