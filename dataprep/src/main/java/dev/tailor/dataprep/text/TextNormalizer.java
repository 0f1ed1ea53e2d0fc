package dev.tailor.dataprep.text;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Normalizes text the same way everywhere: Unicode NFC, line endings to LF, non-breaking and other
 * Unicode spaces to plain spaces, zero-width and control characters removed, runs of spaces collapsed,
 * trailing spaces on lines removed, more than one blank line collapsed, and the whole trimmed.
 */
public final class TextNormalizer {
    private static final Pattern LINE_ENDINGS = Pattern.compile("\r\n?|[\u2028\u2029\u0085]");
    private static final Pattern SPACES = Pattern.compile("[\\t\\x0B\\f \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+");
    private static final Pattern INVISIBLE = Pattern.compile("[\u200B-\u200D\u2060\uFEFF\u00AD]|[\\x00-\\x08\\x0E-\\x1F\\x7F]");
    private static final Pattern TRAILING = Pattern.compile(" +\n|\n +");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    private TextNormalizer() {
    }

    /** True when normalizing would change nothing (the common case, checked in one pass). */
    static boolean isClean(String s) {
        int n = s.length();
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(n - 1))) {
            return false;
        }
        char prev = 'x';
        int newlines = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n' || c >= 0x7F && (c <= 0xA0 || c == 0xAD || c >= 0x0300)) {
                return false; // control, non-ASCII spaces/invisibles, or characters NFC might change: take the slow path
            }
            if (c == ' ' && (prev == ' ' || prev == '\n')) {
                return false;
            }
            if (c == '\n') {
                if (prev == ' ' || ++newlines > 2) {
                    return false;
                }
            } else {
                newlines = 0;
            }
            prev = c;
        }
        return true;
    }

    public static String normalize(String s) {
        if (s == null || s.isEmpty()) {
            return s == null ? "" : s;
        }
        if (isClean(s)) {
            return s;
        }
        String t = Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
        t = LINE_ENDINGS.matcher(t).replaceAll("\n");
        t = INVISIBLE.matcher(t).replaceAll("");
        t = SPACES.matcher(t).replaceAll(" ");
        t = TRAILING.matcher(t).replaceAll("\n");
        t = BLANK_LINES.matcher(t).replaceAll("\n\n");
        return t.strip();
    }
}
