package dev.tailor.dataprep.email;

import dev.tailor.dataprep.text.TextNormalizer;
import java.util.regex.Pattern;

/**
 * Cleans an e-mail body down to what its author wrote: quoted lines ({@code >}), attribution lines
 * ("On … wrote:", "… writes:"), forwarded/original-message blocks, signatures (after "-- "), and
 * list footers or advertising blocks (after a line of underscores) are removed.
 */
public final class EmailText {
    private static final Pattern ORIGINAL = Pattern.compile(
            "(?m)^(-{3,} ?Original Message ?-{3,}|-{3,} ?Forwarded message ?-{3,}|_{20,}\\s*\\nFrom: ).*", Pattern.DOTALL);
    private static final Pattern ATTRIBUTION = Pattern.compile(
            "(?m)^(On |Am |Le |El |Op )?[^\\n]{0,200}(wrote|writes|schrieb|a écrit|escribió|schreef)( the following)?:\\s*$");
    private static final Pattern WRAPPED_ATTRIBUTION = Pattern.compile("(?m)^On [^\\n]{0,200}\\n[^\\n]{0,120}wrote:\\s*$");
    private static final Pattern QUOTED = Pattern.compile("(?m)^[ \\t]*>.*$\\n?");
    private static final Pattern SIGNATURE = Pattern.compile("(?m)^-- ?$.*", Pattern.DOTALL);
    private static final Pattern FOOTER = Pattern.compile("(?m)^_{10,}\\s*$.*", Pattern.DOTALL);

    private EmailText() {
    }

    public static String clean(String body) {
        String t = body.replace("\r\n", "\n").replace('\r', '\n');
        t = ORIGINAL.matcher(t).replaceFirst("");
        t = SIGNATURE.matcher(t).replaceFirst("");
        t = FOOTER.matcher(t).replaceFirst("");
        t = WRAPPED_ATTRIBUTION.matcher(t).replaceAll("");
        t = QUOTED.matcher(t).replaceAll("");
        t = ATTRIBUTION.matcher(t).replaceAll("");
        return TextNormalizer.normalize(t);
    }

    /** The subject without reply/forward prefixes and list tags: "Re: [ILUG] Secure access" → "Secure access". */
    public static String subject(String subject) {
        if (subject == null) {
            return "";
        }
        String s = subject.strip();
        String before;
        do {
            before = s;
            s = s.replaceFirst("(?i)^(re|fw|fwd|aw|sv|vs)(\\[\\d+])?:\\s*", "").replaceFirst("^\\[[^\\]]{1,40}]\\s*", "");
        } while (!s.equals(before));
        return s.strip();
    }
}
