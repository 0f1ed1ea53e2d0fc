package dev.tailor.dataprep.profile;

import dev.tailor.dataprep.dedup.SemanticDuplicateIndex;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How close the kept examples are to a use case the user described ({@code useCase}, e.g. "support for our PostgreSQL
 * hosting product"): the cosine similarity of each example's sentence embedding with the use case's, with the model
 * semantic duplicates are found with (all-MiniLM-L6-v2, {@link SemanticDuplicateIndex#embed}). An estimate: a low
 * figure says an example talks about something else, not that it is useless. Per source and overall: mean, median,
 * the share below {@code threshold} and the least relevant examples. Examples are embedded in batches.
 */
public final class Relevance {
    /** Least relevant examples listed per source and overall. */
    static final int LEAST = 3;
    private static final int BATCH = 64;
    private static final int EXCERPT = 120;

    /** One example scored: where it came from, its id there, a short excerpt and its similarity. */
    record Scored(String source, String id, String excerpt, double similarity) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", source);
            m.put("id", id);
            m.put("similarity", round(similarity));
            m.put("excerpt", excerpt);
            return m;
        }
    }

    private record Pending(String source, String id, String text) {
    }

    private final String useCase;
    private final double threshold;
    private float[] target;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Scores> sources = new LinkedHashMap<>();

    /**
     * @param useCase   what the model is for, in a sentence
     * @param threshold similarity below which an example counts as off-topic
     */
    public Relevance(String useCase, double threshold) {
        if (useCase == null || useCase.isBlank()) {
            throw new IllegalArgumentException("useCase must describe what the model is for, e.g. \"support for our"
                    + " PostgreSQL hosting product\"");
        }
        if (!(threshold > -1 && threshold < 1)) {
            throw new IllegalArgumentException("relevanceThreshold must lie between -1 and 1 (a cosine similarity), got "
                    + threshold);
        }
        this.useCase = useCase.strip();
        this.threshold = threshold;
    }

    public String useCase() {
        return useCase;
    }

    public double threshold() {
        return threshold;
    }

    /** Scores a kept example of {@code source} (embedded with the next batch). */
    void add(String source, Example e) {
        pending.add(new Pending(source, e.source() == null ? "" : e.source().toString(), textOf(e)));
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    /** The question and the answer of a chat (the model reads the first 128 word pieces), or a document's text. */
    static String textOf(Example e) {
        if (!e.isChat()) {
            return e.text();
        }
        StringBuilder sb = new StringBuilder();
        for (Message m : e.messages()) {
            if (!m.role().equals("system")) {
                sb.append(m.content()).append('\n');
            }
        }
        return sb.toString();
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        if (target == null) {
            target = SemanticDuplicateIndex.embed(List.of(useCase)).get(0);
        }
        List<float[]> vectors = SemanticDuplicateIndex.embed(pending.stream().map(p -> p.text().isBlank() ? "-" : p.text()).toList());
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            String excerpt = p.text().strip().replaceAll("\\s+", " ");
            excerpt = excerpt.length() <= EXCERPT ? excerpt : excerpt.substring(0, EXCERPT) + "…";
            sources.computeIfAbsent(p.source(), k -> new Scores()).add(new Scored(p.source(), p.id(), excerpt,
                    cosine(target, vectors.get(i))));
        }
        pending.clear();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Per source, in the order sources came. */
    Map<String, Map<String, Object>> bySource() {
        flush();
        Map<String, Map<String, Object>> m = new LinkedHashMap<>();
        sources.forEach((file, s) -> m.put(file, s.toMap(threshold)));
        return m;
    }

    /** Every source together, with the use case and the threshold. */
    Map<String, Object> overall() {
        flush();
        Scores all = new Scores();
        sources.values().forEach(all::add);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("useCase", useCase);
        m.put("model", "all-MiniLM-L6-v2 (sentence embeddings, cosine similarity)");
        m.putAll(all.toMap(threshold));
        return m;
    }

    /** A sufficiency note when much of the data looks off-topic, or null. */
    String note() {
        flush();
        Scores all = new Scores();
        sources.values().forEach(all::add);
        if (all.n == 0 || all.below(threshold) * 4 < all.n) {
            return null;
        }
        String worst = sources.entrySet().stream().filter(e -> e.getValue().n > 0)
                .max(Comparator.comparingDouble(e -> (double) e.getValue().below(threshold) / e.getValue().n))
                .map(e -> e.getKey() + " (" + Math.round(100.0 * e.getValue().below(threshold) / e.getValue().n) + "%)")
                .orElse("");
        return String.format("%d of %d examples (%.0f%%) look unrelated to the use case \"%s\" (similarity below %.2f, "
                        + "most in %s): check that these sources belong in the training data", all.below(threshold), all.n,
                100.0 * all.below(threshold) / all.n, useCase, threshold, worst);
    }

    /** The similarities of one source (or all), and its least relevant examples. */
    private static final class Scores {
        private float[] values = new float[64];
        private int n;
        private final List<Scored> least = new ArrayList<>();

        void add(Scored s) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = (float) s.similarity();
            least.add(s);
            least.sort(Comparator.comparingDouble(Scored::similarity));
            if (least.size() > LEAST) {
                least.remove(LEAST);
            }
        }

        void add(Scores o) {
            for (int i = 0; i < o.n; i++) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = o.values[i];
            }
            least.addAll(o.least);
            least.sort(Comparator.comparingDouble(Scored::similarity));
            while (least.size() > LEAST) {
                least.remove(least.size() - 1);
            }
        }

        long below(double threshold) {
            long b = 0;
            for (int i = 0; i < n; i++) {
                b += values[i] < threshold ? 1 : 0;
            }
            return b;
        }

        Map<String, Object> toMap(double threshold) {
            float[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            double sum = 0;
            for (float v : sorted) {
                sum += v;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("examples", n);
            m.put("meanSimilarity", n == 0 ? 0 : round(sum / n));
            m.put("medianSimilarity", n == 0 ? 0 : round((sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0));
            m.put("threshold", threshold);
            m.put("shareBelowThreshold", SourceProfile.ratio(below(threshold), n));
            m.put("leastRelevant", least.stream().map(Scored::toMap).toList());
            return m;
        }
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
