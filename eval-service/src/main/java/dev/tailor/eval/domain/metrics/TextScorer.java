package dev.tailor.eval.domain.metrics;

import java.util.EnumMap;
import java.util.Map;

/**
 * Scores a generated answer against the reference answer with every text metric: exact match and token F1
 * (SQuAD v1.1), ROUGE-L F (rouge-score), chrF (sacreBLEU defaults, or chrF++ when chosen) on a 0–1 scale, and the
 * cosine of sentence embeddings when an embedder is given.
 */
public final class TextScorer {
    private final Chrf chrf;
    private final TextEmbedder embedder;

    /**
     * @param chrf     the chrF variant ({@link Chrf#CHRF} or {@link Chrf#CHRF_PLUS_PLUS})
     * @param embedder sentence embedder, or null to leave out {@link Metric#EMBEDDING_COSINE}
     */
    public TextScorer(Chrf chrf, TextEmbedder embedder) {
        if (chrf == null) {
            throw new IllegalArgumentException("a chrF variant is required, e.g. Chrf.CHRF");
        }
        this.chrf = chrf;
        this.embedder = embedder;
    }

    /** The text metrics of {@code prediction} against {@code reference}. */
    public MetricValues score(String prediction, String reference) {
        if (prediction == null || reference == null) {
            throw new IllegalArgumentException("both the prediction and the reference answer are needed (use \"\" "
                    + "for an empty answer)");
        }
        Map<Metric, Double> m = new EnumMap<>(Metric.class);
        m.put(Metric.EXACT_MATCH, SquadAnswer.exactMatch(prediction, reference));
        m.put(Metric.TOKEN_F1, SquadAnswer.tokenF1(prediction, reference));
        m.put(Metric.ROUGE_L, RougeL.score(prediction, reference).f());
        m.put(Metric.CHRF, chrf.sentence(prediction, reference) / 100);
        if (embedder != null) {
            m.put(Metric.EMBEDDING_COSINE, Cosine.similarity(embedder.embed(prediction), embedder.embed(reference)));
        }
        return new MetricValues(m);
    }
}
