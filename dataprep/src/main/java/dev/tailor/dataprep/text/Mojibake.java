package dev.tailor.dataprep.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Repairs the commonest mojibake: UTF-8 bytes that were decoded as windows-1252 or Latin-1
 * ("cafÃ©" for "café", "â€™" for "’"). The repair is applied only when the text contains the tell-tale
 * sequences, re-encodes losslessly, decodes as strict UTF-8, and the result has fewer suspicious
 * characters; otherwise the text is returned unchanged.
 */
public final class Mojibake {
    private static final Pattern SUSPICIOUS = Pattern.compile("[ÃÂâÅÄÆÐÑ][\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018-\u201E\u2020-\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private Mojibake() {
    }

    public static boolean looksBroken(String s) {
        return SUSPICIOUS.matcher(s).find();
    }

    /** Returns the repaired text, or the input itself when no safe repair exists. */
    public static String repair(String s) {
        if (s == null || !looksBroken(s)) {
            return s;
        }
        String best = s;
        for (Charset cs : new Charset[] {WINDOWS_1252, StandardCharsets.ISO_8859_1}) {
            String fixed = tryRepair(s, cs);
            if (fixed != null && count(fixed) < count(best)) {
                best = fixed;
            }
        }
        return best;
    }

    private static String tryRepair(String s, Charset cs) {
        try {
            CharsetEncoder enc = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer bytes = enc.encode(CharBuffer.wrap(s));
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int count(String s) {
        int n = 0;
        var m = SUSPICIOUS.matcher(s);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
