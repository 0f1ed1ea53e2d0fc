package dev.tailor.eval.domain.slices;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Names the slices where the tuned model falls short on one metric: among slices of at least {@code minSize}
 * examples (and not covering every example), those whose tuned mean is worse than the overall tuned mean, worst
 * first, each with its worst examples.
 *
 * @param slicer           how examples are grouped
 * @param minSize          smallest slice worth naming (≥ 1)
 * @param maxSlices        at most this many slices
 * @param failuresPerSlice at most this many example failures per slice
 */
public record WeakSlices(Slicer slicer, int minSize, int maxSlices, int failuresPerSlice) {
    public static final WeakSlices DEFAULT = new WeakSlices(Slicer.DEFAULT, 5, 5, 3);

    public WeakSlices {
        if (slicer == null || minSize < 1 || maxSlices < 1 || failuresPerSlice < 0) {
            throw new IllegalArgumentException("weak slices need a slicer, minSize >= 1, maxSlices >= 1 and "
                    + "failuresPerSlice >= 0; got " + minSize + ", " + maxSlices + ", " + failuresPerSlice);
        }
    }

    public List<WeakSlice> find(List<ExampleResult> results, List<SliceKey> keys, Metric metric) {
        SliceStats all = slicer.overall(results);
        if (!all.metrics().containsKey(metric)) {
            return List.of();
        }
        double overall = all.metrics().get(metric).meanTuned();
        int sign = metric.higherIsBetter() ? 1 : -1;
        List<WeakSlice> weak = new ArrayList<>();
        for (SliceKey key : keys) {
            for (SliceStats s : slicer.slices(results, key)) {
                MetricSummary m = s.metrics().get(metric);
                if (m == null || s.count() < minSize || s.count() == results.size()
                        || sign * (m.meanTuned() - overall) >= 0) {
                    continue;
                }
                weak.add(new WeakSlice(s, metric, m.meanTuned(), overall, failures(results, s, metric)));
            }
        }
        weak.sort(Comparator.comparingDouble((WeakSlice w) -> sign * w.tunedMean())
                .thenComparing(w -> -w.slice().count()).thenComparing(w -> w.slice().name()));
        return weak.subList(0, Math.min(maxSlices, weak.size()));
    }

    private List<Failure> failures(List<ExampleResult> results, SliceStats s, Metric metric) {
        Set<String> ids = new HashSet<>(s.exampleIds());
        int sign = metric.higherIsBetter() ? 1 : -1;
        return results.stream().filter(r -> ids.contains(r.id()) && r.tuned().has(metric) && r.base().has(metric))
                .sorted(Comparator.comparingDouble((ExampleResult r) -> sign * r.tuned().get(metric))
                        .thenComparingDouble(r -> sign * (r.tuned().get(metric) - r.base().get(metric)))
                        .thenComparing(ExampleResult::id))
                .limit(failuresPerSlice)
                .map(r -> new Failure(r.id(), r.reference(), r.tunedPrediction(), r.basePrediction(),
                        r.tuned().get(metric), r.base().get(metric)))
                .toList();
    }
}
