package dev.tailor.dataprep.text;

import java.util.regex.Pattern;

/**
 * Removes markup leftovers from text: reStructuredText roles ({@code :ref:`Title <target>`} → Title,
 * {@code :code:`x`} → x), AsciiDoc macros ({@code link:https://x[Text]} → Text, {@code image::a.png[]}
 * removed, {@code kbd:[Ctrl+C]} → Ctrl+C) and stray HTML tags ({@code <br/>}, {@code </p>}).
 * Every pattern runs in time linear in the text (names and link targets are bounded, a label stops at the next
 * bracket), so a crafted record cannot make it backtrack for minutes or overflow the stack.
 */
public final class MarkupCleaner {
    private static final Pattern RST_ROLE_WITH_TARGET = Pattern.compile(":[a-z][\\w+-]{0,40}(?::[a-z][\\w+-]{0,40})?:`([^`<]+?)\\s*<[^`>]+>`");
    private static final Pattern RST_ROLE = Pattern.compile(":[a-z][\\w+-]{0,40}(?::[a-z][\\w+-]{0,40})?:`([^`]+)`");
    private static final Pattern ADOC_BLOCK_MACRO = Pattern.compile("(?m)^(image|include|video|audio|toc)::[^\\[\\s]*\\[[^\\[\\]\\n]*]\\s*$\\n?");
    private static final Pattern ADOC_LINK = Pattern.compile("\\b(?:link|xref|mailto|https?):(?://)?[^\\s\\[]{0,500}\\[([^\\[\\]]+)]");
    private static final Pattern ADOC_INLINE = Pattern.compile("\\b(?:kbd|btn|menu|footnote|pass):[^\\s\\[]{0,500}\\[([^\\[\\]]*)]");
    private static final Pattern STRAY_TAG = Pattern.compile("</?(?:br|p|div|span|b|i|em|strong|u|font|small|big)\\b[^<>]{0,200}/?>", Pattern.CASE_INSENSITIVE);

    private MarkupCleaner() {
    }

    public static String clean(String s) {
        if (s.indexOf(':') < 0 && s.indexOf('<') < 0) {
            return s;
        }
        String t = RST_ROLE_WITH_TARGET.matcher(s).replaceAll("$1");
        t = RST_ROLE.matcher(t).replaceAll("$1");
        t = ADOC_BLOCK_MACRO.matcher(t).replaceAll("");
        t = ADOC_LINK.matcher(t).replaceAll("$1");
        t = ADOC_INLINE.matcher(t).replaceAll("$1");
        return STRAY_TAG.matcher(t).replaceAll(m -> m.group().toLowerCase().startsWith("<br") ? "\n" : "");
    }
}
