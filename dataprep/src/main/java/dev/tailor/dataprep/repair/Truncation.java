package dev.tailor.dataprep.repair;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers cut off by an export: marked ("[truncated]", "(truncated)", a trailing "…" glued to a word), or ending
 * mid-sentence or mid-word: after the answer's last complete sentence, in its last paragraph, comes a fragment of prose (four or more words
 * on at most three lines, six or more when the last line has fewer than three, mostly letters, no code, command, list item, URL or table row)
 * whose last character is a letter, a digit, a comma or a hyphen where a sentence would end with '.', '!', '?', ':', a
 * quote, a bracket or an emoticon. A name, a closing or a command after the last sentence never counts as a cut, nor
 * does an answer without a complete sentence.
 */
public final class Truncation {
    private static final Pattern MARKED = Pattern.compile("(?i)(\\[\\s*(truncated|cut|…|\\.\\.\\.)\\s*]|\\(\\s*truncated\\s*\\)|\\p{L}…)\\s*$");
    /** A sentence end: '!' or '?', or '.' after a word of two or more letters or a closing bracket (not "1.1." nor "O."). */
    private static final Pattern SENTENCE_END = Pattern.compile("((?<=\\p{L}{2})\\.|(?<=[)\\]\"'’”])\\.|[!?])[\"')\\]]?(\\s|$)");
    private static final Pattern WORD = Pattern.compile("\\p{L}+");
    /** Tokens of code or commands: options, identifiers with underscores, paths, file names. */
    private static final Pattern CODE = Pattern.compile("(^|\\s)--?\\w|\\w_\\w|(^|\\s)/\\w|\\w/\\w+/\\w|\\w\\.(so|h|c|py|sh|conf|txt|rpm|deb|tar|gz)\\b|\\(\\)");
    private static final Pattern NOT_PROSE = Pattern.compile("^\\s*([-*•+]|\\d+[.)]|\\||>|\\$|#|```)|[;{}=<>`\\\\]|https?://\\S+$|@|(?i)\\b(e-?mail|phone|tel|fax|mobile|web|www)\\s*:");

    private Truncation() {
    }

    /** Why {@code answer} looks cut off, or null. */
    public static String reason(String answer) {
        String a = answer.strip();
        if (a.isEmpty()) {
            return null;
        }
        if (MARKED.matcher(a).find()) {
            return "the answer ends with a truncation mark";
        }
        char last = a.charAt(a.length() - 1);
        if (!(Character.isLetterOrDigit(last) || last == ',' || last == '-')) {
            return null;
        }
        Matcher m = SENTENCE_END.matcher(a);
        int from = -1;
        while (m.find()) {
            if (m.end() < a.length()) {
                from = m.end();
            }
        }
        if (from < 0) {
            return null; // no complete sentence: a title, a fragment or a one-liner, not a cut answer
        }
        int paragraph = a.lastIndexOf("\n\n");
        String fragment = a.substring(Math.max(from, paragraph < 0 ? 0 : paragraph + 2)).strip(); // in the last paragraph
        String[] lines = fragment.split("\n");
        String lastLine = lines[lines.length - 1];
        if (lines.length > 3 || words(fragment) < 4 || words(lastLine) < 3 && words(fragment) < 6 || letterShare(fragment) < 0.75
                || NOT_PROSE.matcher(lastLine).find() || CODE.matcher(fragment).find() || fragment.matches("(?s).*[<>@|].*")) {
            return null; // a name, a closing, a command or a list item after the last sentence
        }
        return last == ',' || last == '-' ? "the answer ends mid-sentence (with '" + last + "')"
                : "the answer ends mid-sentence or mid-word ('…" + tail(a) + "')";
    }

    /**
     * {@code answer} cut back to its last complete sentence, or null when less than half of it would remain (or no
     * sentence ends in it).
     */
    public static String trim(String answer) {
        String a = answer.strip();
        Matcher m = SENTENCE_END.matcher(a);
        int end = -1;
        while (m.find()) {
            if (m.end() < a.length()) {
                end = m.start() + m.group().stripTrailing().length();
            }
        }
        return end > 0 && end * 2 >= a.length() ? a.substring(0, end) : null;
    }

    private static int words(String s) {
        int n = 0;
        Matcher m = WORD.matcher(s);
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static double letterShare(String s) {
        int letters = 0;
        int all = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                all++;
                letters += Character.isLetter(c) ? 1 : 0;
            }
        }
        return all == 0 ? 0 : (double) letters / all;
    }

    private static String tail(String a) {
        return a.length() <= 30 ? a : a.substring(a.length() - 30);
    }
}
