package dev.tailor.eval.domain.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextScorerTest {

    @Test
    void scoresEveryTextMetricOnAZeroToOneScale() {
        // an answer from the SQLite FAQ (public domain; examples/support-faq.jsonl) and a shortened paraphrase
        String reference = "Short answer: A column declared INTEGER PRIMARY KEY will autoincrement.";
        String prediction = "A column declared INTEGER PRIMARY KEY autoincrements.";
        MetricValues v = new TextScorer(Chrf.CHRF, null).score(prediction, reference);
        assertEquals(0.0, v.get(Metric.EXACT_MATCH));
        assertEquals(SquadAnswer.tokenF1(prediction, reference), v.get(Metric.TOKEN_F1));
        assertEquals(RougeL.score(prediction, reference).f(), v.get(Metric.ROUGE_L));
        assertEquals(Chrf.CHRF.sentence(prediction, reference) / 100, v.get(Metric.CHRF), 1e-15);
        assertFalse(v.has(Metric.EMBEDDING_COSINE));
        // rouge-score: 6 of 7 prediction tokens in order, 6 of 10 reference tokens
        assertEquals(2 * (6.0 / 7) * (6.0 / 10) / (6.0 / 7 + 6.0 / 10), v.get(Metric.ROUGE_L), 1e-12);
        assertEquals(1.0, new TextScorer(Chrf.CHRF, null).score(reference, reference).get(Metric.CHRF), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new TextScorer(Chrf.CHRF, null).score(null, reference));
    }

    @Test
    void metricNamesParseFromSettings() {
        assertEquals(Metric.ROUGE_L, Metric.of("rouge_l"));
        assertEquals(Metric.ROUGE_L, Metric.of("ROUGE-L"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.of("bleu"));
        assertEquals("unknown metric 'bleu'; use one of exact_match, token_f1, rouge_l, chrf, embedding_cosine, "
                + "answer_loss", e.getMessage());
    }
}
