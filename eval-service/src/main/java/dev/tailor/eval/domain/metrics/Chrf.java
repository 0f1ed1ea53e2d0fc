package dev.tailor.eval.domain.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF and chrF++ (Popović 2015, 2017) as sacreBLEU 2.x computes them ({@code sacrebleu.metrics.CHRF}): F-beta of
 * character n-gram precision and recall for n = 1..charOrder (whitespace removed first, unless kept), plus word
 * n-grams for n = 1..wordOrder (words split on whitespace, one punctuation character split off a word's end or
 * start). Scores are on sacreBLEU's 0–100 scale.
 *
 * <p>With {@code epsSmoothing} off (sacreBLEU's default) precision and recall are averaged over the orders that
 * both texts have and F is taken of the averages; with it on, F is computed per order and averaged over all orders
 * (chrF++.py, Moses and NLTK do this).
 *
 * @param charOrder      highest character n-gram order (sacreBLEU: 6)
 * @param wordOrder      highest word n-gram order: 0 for chrF, 2 for chrF++
 * @param beta           weight of recall relative to precision (sacreBLEU: 2)
 * @param epsSmoothing   per-order F with epsilon smoothing instead of effective-order averaging
 * @param keepWhitespace count whitespace in character n-grams (sacreBLEU removes it by default)
 */
public record Chrf(int charOrder, int wordOrder, int beta, boolean epsSmoothing, boolean keepWhitespace) {
    /** sacreBLEU's default chrF: {@code chrF2|nc:6|nw:0|space:no|eff:yes}. */
    public static final Chrf CHRF = new Chrf(6, 0, 2, false, false);
    /** sacreBLEU's chrF++: {@code chrF2++|nc:6|nw:2|space:no|eff:yes}. */
    public static final Chrf CHRF_PLUS_PLUS = new Chrf(6, 2, 2, false, false);

    private static final double EPS = 1e-16;

    public Chrf {
        if (charOrder < 0 || wordOrder < 0 || charOrder + wordOrder == 0 || charOrder > 32 || wordOrder > 8) {
            throw new IllegalArgumentException("chrF needs 0..32 character and 0..8 word n-gram orders, at least one "
                    + "order in all; got charOrder=" + charOrder + ", wordOrder=" + wordOrder);
        }
        if (beta < 1) {
            throw new IllegalArgumentException("chrF's beta must be a positive integer, got " + beta);
        }
    }

    /** chrF of one hypothesis against one reference, 0–100. */
    public double sentence(String hypothesis, String reference) {
        return sentence(hypothesis, List.of(reference));
    }

    /** chrF of one hypothesis against its best-matching reference (the one with the highest F), 0–100. */
    public double sentence(String hypothesis, List<String> references) {
        return score(statistics(hypothesis, references));
    }

    /**
     * Corpus-level chrF: the match statistics of every segment (against its best reference) summed, then one F,
     * 0–100. {@code references.get(i)} is the reference of {@code hypotheses.get(i)}.
     */
    public double corpus(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("chrF needs one reference per hypothesis, got " + hypotheses.size()
                    + " hypotheses and " + references.size() + " references");
        }
        long[] sum = new long[3 * (charOrder + wordOrder)];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] s = statistics(hypotheses.get(i), List.of(references.get(i)));
            for (int k = 0; k < sum.length; k++) {
                sum[k] += s[k];
            }
        }
        return score(sum);
    }

    /**
     * Match statistics against the best reference: for each order (character orders first, then word orders) the
     * triple [hypothesis n-grams, reference n-grams, matches]; hypothesis n-grams count 0 where the reference has
     * none of that order. Shape: (3 * (charOrder + wordOrder)).
     */
    long[] statistics(String hypothesis, List<String> references) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("chrF needs at least one reference");
        }
        List<Map<String, Integer>> hyp = ngrams(hypothesis);
        long[] best = null;
        double bestF = -1;
        for (String reference : references) {
            List<Map<String, Integer>> ref = ngrams(reference);
            long[] stats = new long[3 * hyp.size()];
            for (int n = 0; n < hyp.size(); n++) {
                match(hyp.get(n), ref.get(n), stats, 3 * n);
            }
            double f = score(stats);
            if (f > bestF) {
                bestF = f;
                best = stats;
            }
        }
        return best;
    }

    private static void match(Map<String, Integer> hyp, Map<String, Integer> ref, long[] out, int at) {
        long hypCount = 0;
        long matches = 0;
        for (Map.Entry<String, Integer> e : hyp.entrySet()) {
            hypCount += e.getValue();
            Integer r = ref.get(e.getKey());
            if (r != null) {
                matches += Math.min(e.getValue(), r);
            }
        }
        long refCount = 0;
        for (int c : ref.values()) {
            refCount += c;
        }
        out[at] = ref.isEmpty() ? 0 : hypCount;
        out[at + 1] = refCount;
        out[at + 2] = matches;
    }

    /** sacreBLEU's {@code _compute_f_score}: the 0–100 score of summed statistics. */
    double score(long[] stats) {
        int orders = charOrder + wordOrder;
        double factor = (double) beta * beta;
        double smoothed = 0;
        double avgPrecision = 0;
        double avgRecall = 0;
        int effectiveOrder = 0;
        for (int i = 0; i < orders; i++) {
            long hyp = stats[3 * i];
            long ref = stats[3 * i + 1];
            long match = stats[3 * i + 2];
            double precision = hyp > 0 ? (double) match / hyp : EPS;
            double recall = ref > 0 ? (double) match / ref : EPS;
            double denominator = factor * precision + recall;
            smoothed += denominator > 0 ? (1 + factor) * precision * recall / denominator : EPS;
            if (hyp > 0 && ref > 0) {
                avgPrecision += precision;
                avgRecall += recall;
                effectiveOrder++;
            }
        }
        if (epsSmoothing) {
            return 100 * smoothed / orders;
        }
        if (effectiveOrder == 0) {
            return 0;
        }
        avgPrecision /= effectiveOrder;
        avgRecall /= effectiveOrder;
        if (avgPrecision + avgRecall == 0) {
            return 0;
        }
        return 100 * (1 + factor) * avgPrecision * avgRecall / (factor * avgPrecision + avgRecall);
    }

    /** N-gram counts per order: character orders 1..charOrder, then word orders 1..wordOrder. */
    private List<Map<String, Integer>> ngrams(String text) {
        List<Map<String, Integer>> out = new ArrayList<>(charOrder + wordOrder);
        int[] chars = PythonText.codePoints(keepWhitespace ? text : PythonText.removeSpaces(text));
        for (int n = 1; n <= charOrder; n++) {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i + n <= chars.length; i++) {
                counts.merge(new String(chars, i, n), 1, Integer::sum);
            }
            out.add(counts);
        }
        if (wordOrder > 0) {
            List<String> words = splitPunctuation(text);
            for (int n = 1; n <= wordOrder; n++) {
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i + n <= words.size(); i++) {
                    counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
                }
                out.add(counts);
            }
        }
        return out;
    }

    /**
     * sacreBLEU's {@code _remove_punctuation}: whitespace-separated words, a word of two or more characters losing
     * one punctuation character at its end (or else at its start) as a word of its own.
     */
    static List<String> splitPunctuation(String text) {
        List<String> out = new ArrayList<>();
        for (String w : PythonText.split(text)) {
            int[] cps = PythonText.codePoints(w);
            if (cps.length == 1) {
                out.add(w);
            } else if (PythonText.isPunctuation(cps[cps.length - 1])) {
                out.add(new String(cps, 0, cps.length - 1));
                out.add(new String(cps, cps.length - 1, 1));
            } else if (PythonText.isPunctuation(cps[0])) {
                out.add(new String(cps, 0, 1));
                out.add(new String(cps, 1, cps.length - 1));
            } else {
                out.add(w);
            }
        }
        return out;
    }
}
