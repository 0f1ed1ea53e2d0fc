package dev.tailor.dataprep.text;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The readable text of HTML (documents and e-mail bodies): scripts, styles and navigation chrome (nav, header,
 * footer, menus, in-page tables of contents) are removed, headings become Markdown headings and block elements
 * paragraphs, and the result is {@linkplain TextNormalizer normalized}.
 */
public final class HtmlText {
    private static final String CHROME = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg,"
            + " [role=navigation], .menu, .nav, .navbar, .breadcrumb, .sidebar, .toc, #toc";
    private static final String BLOCKS = "|p|div|li|ul|ol|dl|dt|dd|table|tr|blockquote|pre|section|article|main|br|hr|h1|h2|h3|h4|h5|h6|";

    private HtmlText() {
    }

    /** Readable text of an HTML document with headings as Markdown and one blank line between blocks. */
    public static String of(String html) {
        Document doc = Jsoup.parse(html, "");
        doc.select(CHROME).remove();
        // in-page navigation (a table of contents): list items that are only a link to an anchor
        for (Element li : doc.select("li")) {
            Element a = li.selectFirst("a[href^=#]");
            if (a != null && li.text().equals(a.text())) {
                li.remove();
            }
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
                    sb.append("\n\n");
                    if (e.normalName().matches("h[1-6]")) {
                        sb.append("#".repeat(e.normalName().charAt(1) - '0')).append(' ');
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && isBlock(e)) {
                    sb.append("\n\n");
                }
            }
        }, doc.body() == null ? doc : doc.body());
        return TextNormalizer.normalize(sb.toString().replaceAll("(?m)^[ \\t]+", ""));
    }

    private static boolean isBlock(Element e) {
        return BLOCKS.contains("|" + e.normalName() + "|");
    }
}
