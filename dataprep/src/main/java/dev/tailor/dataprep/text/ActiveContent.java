package dev.tailor.dataprep.text;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes active content from text, with its contents: {@code <script>}, {@code <style>}, {@code <noscript>},
 * {@code <template>}, {@code <iframe>}, {@code <object>} and {@code <embed>} elements (an unclosed opening tag alone),
 * event-handler attributes ({@code onclick="…"}, {@code onerror=…}) and {@code javascript:}/{@code vbscript:} URLs in
 * the tags that stay. Only markup is touched: the rest of the text is returned as it was (jsoup's Cleaner would
 * re-serialize the whole field as HTML, escaping every '&lt;' and '&amp;' of plain text and code).
 * <p>Linear in the text: an element's end is searched once per element name that is still open (a name found
 * without a closing tag is not searched again), and a tag ends at the next '&lt;' or '&gt;', so thousands of
 * unclosed {@code <script>} tags in a crafted record cost one pass, not one pass each.
 */
public final class ActiveContent {
    private static final Pattern QUICK = Pattern.compile("(?i)<\\s*(script|style|noscript|template|iframe|object|embed)\\b"
            + "|\\son[a-z]{3,20}\\s*=|(java|vb)script\\s*:");
    private static final Pattern OPEN_TAG = Pattern.compile("(?i)<\\s*/?\\s*(script|style|noscript|template|iframe|object|embed)\\b[^<>]{0,2000}>");
    private static final java.util.Map<String, Pattern> CLOSE = java.util.stream.Stream.of("script", "style", "noscript",
            "template", "iframe", "object", "embed").collect(java.util.stream.Collectors.toMap(n -> n,
            n -> Pattern.compile("(?i)<\\s*/\\s*" + n + "\\s*>")));
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
        String t = elements(text);
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

    /** {@code text} without active elements (opening tag, contents and closing tag) and stray opening or closing tags. */
    private static String elements(String text) {
        Matcher open = OPEN_TAG.matcher(text);
        Set<String> unclosed = new HashSet<>();
        StringBuilder sb = new StringBuilder(text.length());
        int from = 0;
        while (open.find(from)) {
            sb.append(text, from, open.start());
            from = open.end();
            String name = open.group(1).toLowerCase(Locale.ROOT);
            boolean closing = open.group().substring(1).stripLeading().startsWith("/");
            if (closing || unclosed.contains(name)) {
                continue; // a stray tag: removed alone
            }
            Matcher close = CLOSE.get(name).matcher(text);
            if (close.find(from)) {
                from = close.end(); // the element with its contents
            } else {
                unclosed.add(name);
            }
        }
        sb.append(text, from, text.length());
        return sb.toString();
    }
}
