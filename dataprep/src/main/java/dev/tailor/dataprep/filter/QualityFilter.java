package dev.tailor.dataprep.filter;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.dedup.NearDuplicateIndex;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.RecordRejected;

/**
 * Length bounds, swapped roles, repetition and symbol-ratio checks, then (when {@link CleaningConfig#languages()} is
 * set) the {@link LanguageFilter}; throws {@link RecordRejected} naming the rule.
 */
public final class QualityFilter {
    private final CleaningConfig config;
    /** Null when every language is kept: the detector's model is then never loaded. */
    private final LanguageFilter language;

    public QualityFilter(CleaningConfig config) {
        this.config = config;
        this.language = config.language().languages().isEmpty() ? null : new LanguageFilter(config.language().languages(), config.language().languageMinChars());
    }

    public void check(Example e) {
        String answer = e.isChat() ? e.messages().get(e.messages().size() - 1).content() : e.text();
        if (answer.length() < config.quality().minChars()) {
            throw new RecordRejected("too-short", "the answer has " + answer.length() + " characters, fewer than minChars=" + config.quality().minChars());
        }
        if (config.quality().detectSwappedRoles() && e.isChat() && e.messages().size() >= 2) {
            String asked = e.messages().get(e.messages().size() - 2).content().strip();
            if (e.messages().get(e.messages().size() - 2).role().equals("user") && looksSwapped(asked, answer)) {
                throw new RecordRejected("swapped-roles", "the answer is a short question and the question is not:"
                        + " question and answer look swapped; fix the field mapping (fieldMapping.prompt/completion)");
            }
        }
        String all = e.allText();
        if (all.length() > config.quality().maxChars()) {
            throw new RecordRejected("too-long", "the example has " + all.length() + " characters, more than maxChars=" + config.quality().maxChars());
        }
        double symbols = symbolRatio(all);
        if (all.length() >= 20 && symbols > config.quality().maxSymbolRatio()) {
            throw new RecordRejected("symbol-heavy", String.format("%.0f%% of characters are symbols, more than maxSymbolRatio=%.2f",
                    100 * symbols, config.quality().maxSymbolRatio()));
        }
        double rep = repetition(all);
        if (rep > config.quality().maxRepetition()) {
            throw new RecordRejected("repetitive", String.format("%.0f%% of word 3-grams repeat, more than maxRepetition=%.2f",
                    100 * rep, config.quality().maxRepetition()));
        }
        if (language != null) {
            language.check(e);
        }
    }

    /** A question and answer swapped: the answer is a short one-line question and the question is not one. */
    public static boolean looksSwapped(String question, String answer) {
        String asked = question.strip();
        return answer.strip().endsWith("?") && !asked.endsWith("?") && answer.length() < asked.length() && !answer.contains("\n");
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
        long[] grams = new long[64];
        int count = 0;
        long w1 = 0;
        long w2 = 0;
        long h = 0xcbf29ce484222325L;
        int words = 0;
        boolean inWord = false;
        for (int i = 0, n = s.length(); i <= n; i++) {
            char c = i < n ? s.charAt(i) : ' ';
            if (!Character.isWhitespace(c)) {
                h = (h ^ Character.toLowerCase(c)) * 0x100000001b3L;
                inWord = true;
            } else if (inWord) {
                if (++words >= 3) {
                    if (count == grams.length) {
                        grams = java.util.Arrays.copyOf(grams, count * 2);
                    }
                    grams[count++] = NearDuplicateIndex.mix(w1 * 961 + w2 * 31 + h);
                }
                w1 = w2;
                w2 = h;
                h = 0xcbf29ce484222325L;
                inWord = false;
            }
        }
        if (words < 10) {
            return 0;
        }
        java.util.Arrays.sort(grams, 0, count);
        int dup = 0;
        for (int i = 1; i < count; i++) {
            if (grams[i] == grams[i - 1]) {
                dup++;
            }
        }
        return (double) dup / count;
    }
}
