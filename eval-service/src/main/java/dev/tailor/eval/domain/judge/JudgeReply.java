package dev.tailor.eval.domain.judge;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a judge answered to one comparison: its verdict (the last {@code [[A]]}, {@code [[B]]} or {@code [[C]]}). */
public enum JudgeReply {
    /** Answer A is better. */
    A,
    /** Answer B is better. */
    B,
    /** A tie ({@code [[C]]}, also {@code [[tie]]}). */
    TIE,
    /** The reply names no verdict. */
    NONE;

    private static final Pattern VERDICT = Pattern.compile("\\[\\[\\s*(A|B|C|TIE)\\s*]]", Pattern.CASE_INSENSITIVE);

    /** The verdict of a judge's reply: the last one it names (a judge may quote the format first). */
    public static JudgeReply parse(String reply) {
        if (reply == null) {
            return NONE;
        }
        Matcher m = VERDICT.matcher(reply);
        String last = null;
        while (m.find()) {
            last = m.group(1).toUpperCase(Locale.ROOT);
        }
        if (last == null) {
            return NONE;
        }
        return switch (last) {
            case "A" -> A;
            case "B" -> B;
            default -> TIE;
        };
    }

    /**
     * How much this verdict prefers the tuned answer: 1 when it won, ½ for a tie, 0 when it lost; NaN without a
     * verdict.
     *
     * @param tunedIsA whether the tuned model's answer was shown as answer A
     */
    public double tunedPreference(boolean tunedIsA) {
        return switch (this) {
            case A -> tunedIsA ? 1 : 0;
            case B -> tunedIsA ? 0 : 1;
            case TIE -> 0.5;
            case NONE -> Double.NaN;
        };
    }
}
