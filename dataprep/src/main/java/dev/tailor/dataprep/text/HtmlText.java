package dev.tailor.dataprep.text;

import dev.tailor.dataprep.boilerplate.HtmlBoilerplate;
import java.util.function.BiConsumer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The readable text of HTML (documents and e-mail bodies): scripts, styles and navigation chrome are removed
 * ({@link HtmlBoilerplate}: nav, header, footer, menus, navigation bars, link lists, in-page tables of contents),
 * headings become Markdown headings, block elements paragraphs, and the result is {@linkplain TextNormalizer normalized}.
 */
public final class HtmlText {
    private static final String BLOCKS = "|p|div|li|ul|ol|dl|dt|dd|table|tr|blockquote|pre|section|article|main|br|hr|h1|h2|h3|h4|h5|h6|";

    private HtmlText() {
    }

    /** Readable text of an HTML document with headings as Markdown and one blank line between blocks. */
    public static String of(String html) {
        return of(html, null);
    }

    /**
     * Readable text of an HTML document without its navigation bars and link lists as well, its {@code pre} blocks
     * fenced with {@code ```} lines (so that a {@code #} comment in code is not read as a heading) and its table rows as
     * {@code | a | b |} lines (so that a cell ending with '?' is not read as a question); {@code removed} gets the
     * rule and text of each block of page chrome removed ({@link HtmlBoilerplate}). Null: only the chrome that
     * {@link HtmlBoilerplate#removeChrome} removes.
     */
    public static String of(String html, BiConsumer<String, String> removed) {
        Document doc = Jsoup.parse(html, "");
        boolean structured = removed != null;
        if (removed == null) {
            HtmlBoilerplate.removeChrome(doc);
        } else {
            HtmlBoilerplate.remove(doc, removed);
        }
        StringBuilder sb = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    Element parent = t.parentElement();
                    boolean pre = parent != null && parent.closest("pre") != null;
                    sb.append(pre ? t.getWholeText() : t.text());
                } else if (node instanceof Element e && isBlock(e)) {
                    if (structured && inCell(e)) {
                        sb.append(' ');
                        return;
                    }
                    sb.append("\n\n");
                    if (structured && e.normalName().equals("pre")) {
                        sb.append("```\n");
                    } else if (e.normalName().matches("h[1-6]")) {
                        sb.append("#".repeat(e.normalName().charAt(1) - '0')).append(' ');
                    } else if (structured && e.normalName().equals("tr")) {
                        sb.append("| ");
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && isBlock(e)) {
                    if (structured && e.normalName().equals("pre") && !inCell(e)) {
                        sb.append("\n```");
                    }
                    sb.append(structured && inCell(e) ? " " : "\n\n");
                } else if (structured && node instanceof Element e && (e.normalName().equals("td") || e.normalName().equals("th"))
                        && e.closest("tr") != null && !inCell(e)) {
                    sb.append(" | ");
                }
            }
        }, doc.body() == null ? doc : doc.body());
        return TextNormalizer.normalize(sb.toString().replaceAll("(?m)^[ \\t]+", ""));
    }

    /** Inside a table cell, blocks (paragraphs, lists, nested tables) are inline: a row stays one line. */
    private static boolean inCell(Element e) {
        Element parent = e.parent();
        return parent != null && parent.closest("td, th") != null;
    }

    private static boolean isBlock(Element e) {
        return BLOCKS.contains("|" + e.normalName() + "|");
    }
}
