package dev.tailor.eval.domain.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python string semantics the reference metric scripts rely on, so that scores match them character for
 * character: {@code str.split()} with no argument, {@code str.isspace()}, {@code str.lower()} and Python's
 * {@code string.punctuation}. Texts are walked by Unicode code point, as Python indexes {@code str}.
 */
final class PythonText {
    /** Python's {@code string.punctuation}: the 32 ASCII punctuation characters. */
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private PythonText() {
    }

    /**
     * Python's {@code str.isspace()} for one code point: Java's whitespace (which leaves out no-break spaces) or
     * space separators (which include them), and U+0085 NEXT LINE.
     */
    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
    }

    /** Python's {@code str.split()}: the runs of non-space characters, no empty strings. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** {@code ''.join(s.split())}: the text without any whitespace. */
    static String removeSpaces(String s) {
        return String.join("", split(s));
    }

    /** Python's {@code str.lower()}, locale-independent. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code codePoint} is one of Python's {@code string.punctuation}. */
    static boolean isPunctuation(int codePoint) {
        return codePoint < 128 && PUNCTUATION.indexOf(codePoint) >= 0;
    }

    /** The code points of {@code s}: Python's view of a {@code str} as a sequence. */
    static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }
}
