package dev.tailor.eval.domain.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Exact match and token F1 of a predicted answer against a reference, after the answer normalisation of SQuAD
 * v1.1's official {@code evaluate-v1.1.py}: lowercase, drop ASCII punctuation, replace the articles a/an/the (whole
 * words) by a space, collapse whitespace. As in that script, the F1 of two answers without any token in common is
 * 0, also when both normalise to nothing (their exact match is then true).
 */
public final class SquadAnswer {
    /**
     * Python's {@code \b(a|an|the)\b} on a {@code str}: a word character there is a letter, a number (Nd, Nl, No)
     * or {@code _}, so an article must not touch one on either side.
     */
    private static final String WORD = "[\\p{L}\\p{Nd}\\p{Nl}\\p{No}_]";
    private static final Pattern ARTICLES = Pattern.compile("(?<!" + WORD + ")(?:a|an|the)(?!" + WORD + ")");

    private SquadAnswer() {
    }

    /** SQuAD v1.1's {@code normalize_answer}. */
    public static String normalize(String s) {
        String lower = PythonText.lower(s);
        StringBuilder kept = new StringBuilder(lower.length());
        lower.codePoints().filter(cp -> !PythonText.isPunctuation(cp)).forEach(kept::appendCodePoint);
        String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
        return String.join(" ", PythonText.split(noArticles));
    }

    /** 1 when both normalise to the same text, else 0 (a number, so that it averages into a rate). */
    public static double exactMatch(String prediction, String reference) {
        return normalize(prediction).equals(normalize(reference)) ? 1.0 : 0.0;
    }

    /** Harmonic mean of token precision and recall over the normalised tokens (multiset overlap), in [0, 1]. */
    public static double tokenF1(String prediction, String reference) {
        List<String> predicted = PythonText.split(normalize(prediction));
        List<String> expected = PythonText.split(normalize(reference));
        Map<String, Integer> counts = new HashMap<>();
        for (String t : expected) {
            counts.merge(t, 1, Integer::sum);
        }
        int same = 0;
        for (String t : predicted) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                counts.put(t, left - 1);
                same++;
            }
        }
        if (same == 0) {
            return 0.0;
        }
        double precision = (double) same / predicted.size();
        double recall = (double) same / expected.size();
        return 2 * precision * recall / (precision + recall);
    }
}
