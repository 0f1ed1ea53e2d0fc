package dev.tailor.eval.domain.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sentence-level ROUGE-L as google-research's {@code rouge-score} computes {@code rougeL} by default (no stemming):
 * both texts lowercased, every run of characters other than {@code [a-z0-9]} is a separator, and precision and
 * recall are the longest common subsequence of the token lists divided by the prediction's and the reference's
 * token count. A text without tokens scores 0. Newlines are ordinary separators (this is not {@code rougeLsum}).
 */
public final class RougeL {
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    private RougeL() {
    }

    /** rouge-score's default tokenizer: lowercase, split on anything but {@code [a-z0-9]}, drop empty tokens. */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String t : NON_ALPHANUMERIC.split(text.toLowerCase(Locale.ROOT))) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** ROUGE-L of {@code prediction} against {@code reference}. */
    public static PrecisionRecallF score(String prediction, String reference) {
        List<String> predicted = tokenize(prediction);
        List<String> expected = tokenize(reference);
        if (predicted.isEmpty() || expected.isEmpty()) {
            return PrecisionRecallF.ZERO;
        }
        Map<String, Integer> vocab = new HashMap<>();
        int lcs = lcsLength(ids(expected, vocab), ids(predicted, vocab));
        return PrecisionRecallF.of((double) lcs / predicted.size(), (double) lcs / expected.size());
    }

    /** The tokens as ids, equal tokens sharing one id across calls with the same {@code vocab}. */
    private static int[] ids(List<String> tokens, Map<String, Integer> vocab) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = vocab.computeIfAbsent(tokens.get(i), k -> vocab.size());
        }
        return out;
    }

    /** Length of the longest common subsequence of a and b: the dynamic programme with two rows of length |b|+1. */
    static int lcsLength(int[] a, int[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }
}
