package dev.tailor.dataprep.repair;

/**
 * Content repeated within one field by an export bug ("How do I X? How do I X? How do I X?"): a text that is two or
 * more exact copies of one block, joined by nothing, a space, a line break or a blank line, becomes one copy. Only whole
 * repetitions are collapsed (at least {@value #MIN_UNIT} characters a copy), so a text that merely repeats a phrase
 * stays as it is.
 */
public final class RepeatedContent {
    static final int MIN_UNIT = 8;
    private static final int MAX_COPIES = 64;
    private static final String[] SEPARATORS = {"\n\n", "\n", " ", ""};

    private RepeatedContent() {
    }

    /** The one copy {@code text} repeats, or null when it is not a repetition. */
    public static String collapse(String text) {
        String t = text.strip();
        int n = t.length();
        for (int copies = 2; copies <= MAX_COPIES && copies * MIN_UNIT <= n; copies++) {
            for (String sep : SEPARATORS) {
                int unit = n - (copies - 1) * sep.length();
                if (unit % copies != 0) {
                    continue;
                }
                unit /= copies;
                if (unit < MIN_UNIT) {
                    continue;
                }
                if (repeats(t, unit, sep, copies)) {
                    return t.substring(0, unit);
                }
            }
        }
        return null;
    }

    private static boolean repeats(String t, int unit, String sep, int copies) {
        int stride = unit + sep.length();
        for (int c = 1; c < copies; c++) {
            int at = c * stride;
            if (!t.startsWith(sep, at - sep.length()) || !t.regionMatches(at, t, 0, unit)) {
                return false;
            }
        }
        return true;
    }
}
