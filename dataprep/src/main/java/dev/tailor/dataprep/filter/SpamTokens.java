package dev.tailor.dataprep.filter;

/**
 * Splits a message's subject and readable body into the tokens {@link SpamClassifier} scores, in the
 * manner of SpamBayes: the text is cut at whitespace and each piece becomes
 * <ul>
 *   <li>lower-cased words of 3 to 12 letters or digits (apostrophes and inner hyphens kept); a longer
 *       word becomes {@code skip:<first letter><length rounded down to tens>};</li>
 *   <li>{@code url:<host>} (and {@code url:<last two labels>} when the host has more) for http, https,
 *       ftp and www. addresses, {@code url:ip} for a numeric host;</li>
 *   <li>{@code email:<domain>} for an e-mail address;</li>
 *   <li>{@code money:<shape>} and {@code num:<shape>} for amounts and numbers, digits written as
 *       {@code d} ({@code $1,000} → {@code money:$d,ddd});</li>
 *   <li>runs of 3 to 12 punctuation characters as they are ({@code !!!}).</li>
 * </ul>
 * Words and numbers of the subject are prefixed {@code subject:}. Only the first {@value #MAX_BODY_CHARS} characters
 * of the body are read. Tokens are handed to a {@link Sink} in a reused buffer (no String per token).
 */
final class SpamTokens {
    /** Receives each token; {@code buf[0, len)} is valid only during the call. */
    interface Sink {
        void token(char[] buf, int len);
    }

    static final int MAX_BODY_CHARS = 32_768;
    private static final String SUBJECT = "subject:";
    private static final int MIN_WORD = 3;
    private static final int MAX_WORD = 12;
    private static final int MAX_SHAPE = 12;
    private static final String NUMBER_PUNCTUATION = ".,:/-%+";
    private static final int MAX_HOST = 64;

    private static final int SPACE = 1;
    private static final int LETTER = 2;
    private static final int DIGIT = 4;
    private static final int JOINER = 8;
    private static final int WORD = LETTER | DIGIT | JOINER;
    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            ASCII[c] = (byte) (Character.isWhitespace(c) ? SPACE : Character.isLetter(c) ? LETTER
                    : Character.isDigit(c) ? DIGIT : c == '\'' || c == '-' ? JOINER : 0);
        }
    }

    private final char[] buf = new char[96];
    private char[] chars = new char[1024];
    private final Sink sink;
    private int len;

    private SpamTokens(Sink sink) {
        this.sink = sink;
    }

    /** Hands every token of {@code subject} (may be null) and {@code body} (may be null) to {@code sink}. */
    static void tokenize(String subject, String body, Sink sink) {
        SpamTokens t = new SpamTokens(sink);
        if (subject != null) {
            t.text(subject, subject.length(), SUBJECT);
        }
        if (body != null) {
            t.text(body, Math.min(body.length(), MAX_BODY_CHARS), "");
        }
    }

    private void text(String text, int end, String prefix) {
        if (chars.length < end) {
            chars = new char[Math.max(end, chars.length * 2)];
        }
        text.getChars(0, end, chars, 0);
        char[] s = chars;
        int i = 0;
        while (i < end) {
            while (i < end && kind(s[i]) == SPACE) {
                i++;
            }
            int start = i;
            while (i < end && kind(s[i]) != SPACE) {
                i++;
            }
            if (i > start) {
                chunk(s, start, i, prefix);
            }
        }
    }

    private void chunk(char[] s, int a, int b, String prefix) {
        int kinds = 0;
        int previous = 0;
        for (int i = a; i < b; i++) {
            char c = s[i];
            int k = kind(c);
            if ((c | 0x20) == 'h' || (c | 0x20) == 'f' || (c | 0x20) == 'w') {
                if ((previous & (LETTER | DIGIT)) == 0 && urlAt(s, i, b)) {
                    words(s, a, i, prefix);
                    url(s, i, b);
                    return;
                }
            } else if (c == '@' && i > a && i < b - 3) {
                email(s, i + 1, b);
                return;
            }
            kinds |= k;
            previous = k;
        }
        if ((kinds & LETTER) != 0) {
            words(s, a, b, prefix);
        } else if ((kinds & DIGIT) != 0) {
            number(s, a, b, prefix);
        } else if (b - a >= MIN_WORD && b - a <= MAX_SHAPE) {
            start(prefix);
            for (int i = a; i < b; i++) {
                buf[len++] = s[i];
            }
            emit();
        }
    }

    /** Runs of letters, digits, apostrophes and hyphens; a run without letters is a number. */
    private void words(char[] s, int a, int b, String prefix) {
        int i = a;
        while (i < b) {
            while (i < b && (kind(s[i]) & WORD) == 0) {
                i++;
            }
            int start = i;
            int kinds = 0;
            for (int k; i < b && ((k = kind(s[i])) & WORD) != 0; i++) {
                kinds |= k;
            }
            int end = i;
            while (start < end && kind(s[start]) == JOINER) {
                start++;
            }
            while (end > start && kind(s[end - 1]) == JOINER) {
                end--;
            }
            if (end == start) {
                continue;
            }
            if ((kinds & LETTER) == 0) {
                number(s, start, end, prefix);
            } else if (end - start > MAX_WORD) {
                start(prefix);
                append("skip:");
                buf[len++] = lower(s[start]);
                append(Integer.toString((end - start) / 10 * 10));
                emit();
            } else if (end - start >= MIN_WORD) {
                start(prefix);
                for (int k = start; k < end; k++) {
                    char c = s[k];
                    buf[len++] = c == '\u2019' ? '\'' : lower(c);
                }
                emit();
            }
        }
    }

    private void number(char[] s, int a, int b, String prefix) {
        boolean money = false;
        for (int i = a; i < b; i++) {
            money |= isCurrency(s[i]);
        }
        start(prefix);
        append(money ? "money:" : "num:");
        int shape = len;
        for (int i = a; i < b && len - shape < MAX_SHAPE; i++) {
            char c = s[i];
            if (c >= '0' && c <= '9') {
                buf[len++] = 'd';
            } else if (isCurrency(c) || NUMBER_PUNCTUATION.indexOf(c) >= 0) {
                buf[len++] = c;
            }
        }
        while (len > shape && buf[len - 1] != '%' && NUMBER_PUNCTUATION.indexOf(buf[len - 1]) >= 0) {
            len--; // sentence punctuation: "$19.95." is money:$dd.dd
        }
        emit();
    }

    private void url(char[] s, int a, int b) {
        int host = a;
        for (int i = a; i < Math.min(b - 3, a + 6); i++) { // after http://, https:// or ftp://
            if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
                host = i + 3;
                break;
            }
        }
        int end = host;
        while (end < b && end - host < MAX_HOST && hostChar(s[end])) {
            end++;
        }
        while (end > host && s[end - 1] == '.') {
            end--;
        }
        if (end == host) {
            return;
        }
        start("url:");
        boolean numeric = true;
        int dots = 0;
        for (int i = host; i < end; i++) {
            char c = s[i];
            numeric &= c == '.' || c >= '0' && c <= '9';
            dots += c == '.' ? 1 : 0;
            buf[len++] = lower(c);
        }
        if (numeric) {
            len = 0;
            append("url:ip");
            emit();
            return;
        }
        int full = len;
        emit();
        if (dots >= 2) { // also the last two labels: url:www.example.com → url:example.com
            int cut = full;
            int seen = 0;
            while (cut > 4 && !(buf[cut - 1] == '.' && ++seen == 2)) {
                cut--;
            }
            System.arraycopy(buf, cut, buf, 4, full - cut);
            len = 4 + full - cut;
            emit();
        }
    }

    private void email(char[] s, int a, int b) {
        start("email:");
        int domain = len;
        for (int i = a; i < b && len - domain < MAX_HOST && hostChar(s[i]); i++) {
            buf[len++] = lower(s[i]);
        }
        while (len > domain && buf[len - 1] == '.') {
            len--;
        }
        for (int i = domain; i < len; i++) {
            if (buf[i] == '.') {
                emit();
                return;
            }
        }
    }

    /** Whether an http://, https://, ftp:// or www. address starts at {@code s[i]} (and goes on before {@code b}). */
    private static boolean urlAt(char[] s, int i, int b) {
        return starts(s, i, b, "http://") || starts(s, i, b, "https://") || starts(s, i, b, "ftp://") || starts(s, i, b, "www.");
    }

    private static boolean starts(char[] s, int i, int b, String lit) {
        if (b - i <= lit.length()) {
            return false;
        }
        for (int k = 0; k < lit.length(); k++) {
            if (lower(s[i + k]) != lit.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private void start(String prefix) {
        len = 0;
        append(prefix);
    }

    private void append(String t) {
        t.getChars(0, t.length(), buf, len);
        len += t.length();
    }

    private void emit() {
        sink.token(buf, len);
    }

    /** SPACE, LETTER, DIGIT (0-9), JOINER (apostrophes, hyphen) or 0; a table for ASCII. */
    private static int kind(char c) {
        if (c < 128) {
            return ASCII[c];
        }
        return c == '\u2019' ? JOINER : Character.isWhitespace(c) ? SPACE : Character.isLetterOrDigit(c) ? LETTER : 0;
    }

    private static char lower(char c) {
        return c < 128 ? (char) (c >= 'A' && c <= 'Z' ? c + 32 : c) : Character.toLowerCase(c);
    }

    private static boolean hostChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-';
    }

    private static boolean isCurrency(char c) {
        return c == '$' || c == '\u00A3' || c == '\u20AC' || c == '\u00A5';
    }
}
