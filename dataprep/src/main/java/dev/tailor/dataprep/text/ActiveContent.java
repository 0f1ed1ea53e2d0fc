package dev.tailor.dataprep.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes active content from text, with its contents: {@code <script>}, {@code <style>}, {@code <noscript>},
 * {@code <template>}, {@code <iframe>}, {@code <object>} and {@code <embed>} elements (an unclosed opening tag alone),
 * event-handler attributes ({@code onclick="…"}, {@code onerror=…}) and {@code javascript:}/{@code vbscript:} URLs in
 * the tags that stay. Only markup is touched: the rest of the text is returned as it was (jsoup's Cleaner would
 * re-serialize the whole field as HTML, escaping every '&lt;' and '&amp;' of plain text and code).
 */
public final class ActiveContent {
    private static final Pattern QUICK = Pattern.compile("(?i)<\\s*(script|style|noscript|template|iframe|object|embed)\\b"
            + "|\\son[a-z]{3,20}\\s*=|(java|vb)script\\s*:");
    private static final Pattern ELEMENT = Pattern.compile("(?is)<\\s*(script|style|noscript|template|iframe|object|embed)\\b[^>]*>"
            + ".*?<\\s*/\\s*\\1\\s*>");
    private static final Pattern OPEN_TAG = Pattern.compile("(?i)<\\s*/?\\s*(script|style|noscript|template|iframe|object|embed)\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z][^<>]{0,2000}>");
    private static final Pattern HANDLER = Pattern.compile("(?i)\\s+on[a-z]{3,20}\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)");
    private static final Pattern SCRIPT_URL = Pattern.compile("(?i)\\s+(href|src|action|formaction|data|xlink:href)\\s*=\\s*"
            + "(\"\\s*(java|vb)script:[^\"]*\"|'\\s*(java|vb)script:[^']*'|(java|vb)script:[^\\s>]*)");

    private ActiveContent() {
    }

    /** {@code text} without active content; the same instance when there is none. */
    public static String remove(String text) {
        if (text == null || !QUICK.matcher(text).find()) {
            return text;
        }
        String t = ELEMENT.matcher(text).replaceAll("");
        t = OPEN_TAG.matcher(t).replaceAll("");
        Matcher tags = TAG.matcher(t);
        StringBuilder sb = new StringBuilder(t.length());
        while (tags.find()) {
            String tag = SCRIPT_URL.matcher(HANDLER.matcher(tags.group()).replaceAll("")).replaceAll("");
            tags.appendReplacement(sb, Matcher.quoteReplacement(tag));
        }
        tags.appendTail(sb);
        String out = sb.toString();
        return out.equals(text) ? text : out;
    }
}
