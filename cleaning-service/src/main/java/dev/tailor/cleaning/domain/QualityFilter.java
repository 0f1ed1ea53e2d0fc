package dev.tailor.cleaning.domain;

import java.util.HashSet;
import java.util.Set;

/** Length bounds, repetition and symbol-ratio checks; throws {@link RecordRejected} naming the rule. */
public final class QualityFilter {
    private final CleaningConfig config;

    public QualityFilter(CleaningConfig config) {
        this.config = config;
    }

    public void check(Example e) {
        String answer = e.isChat() ? e.messages().get(e.messages().size() - 1).content() : e.text();
        if (answer.length() < config.minChars()) {
            throw new RecordRejected("too-short", "the answer has " + answer.length() + " characters, fewer than minChars=" + config.minChars());
        }
        String all = e.allText();
        if (all.length() > config.maxChars()) {
            throw new RecordRejected("too-long", "the example has " + all.length() + " characters, more than maxChars=" + config.maxChars());
        }
        double symbols = symbolRatio(all);
        if (all.length() >= 20 && symbols > config.maxSymbolRatio()) {
            throw new RecordRejected("symbol-heavy", String.format("%.0f%% of characters are symbols, more than maxSymbolRatio=%.2f",
                    100 * symbols, config.maxSymbolRatio()));
        }
        double rep = repetition(all);
        if (rep > config.maxRepetition()) {
            throw new RecordRejected("repetitive", String.format("%.0f%% of word 3-grams repeat, more than maxRepetition=%.2f",
                    100 * rep, config.maxRepetition()));
        }
    }

    static double symbolRatio(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int sym = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetterOrDigit(c) && !Character.isWhitespace(c) && ".,;:!?'\"()-".indexOf(c) < 0) {
                sym++;
            }
        }
        return (double) sym / s.length();
    }

    /** Share of word 3-grams that occurred before in the same text (0 for texts under 10 words). */
    static double repetition(String s) {
        String[] w = s.toLowerCase().split("\\s+");
        if (w.length < 10) {
            return 0;
        }
        Set<String> seen = new HashSet<>();
        int dup = 0;
        int total = 0;
        for (int i = 0; i + 2 < w.length; i++) {
            total++;
            if (!seen.add(w[i] + ' ' + w[i + 1] + ' ' + w[i + 2])) {
                dup++;
            }
        }
        return (double) dup / total;
    }
}
