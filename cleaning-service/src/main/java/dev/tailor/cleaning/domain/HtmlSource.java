package dev.tailor.cleaning.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * HTML documents: scripts, styles and navigation chrome (nav, header, footer, menus, in-page tables of
 * contents) are removed, headings become Markdown headings and block elements paragraphs; the text then
 * goes through {@link TextSource} (chunks, and question → answer pairs where the structure shows them).
 */
public final class HtmlSource {
    private static final String CHROME = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg,"
            + " [role=navigation], .menu, .nav, .navbar, .breadcrumb, .sidebar, .toc, #toc";
    private static final String BLOCKS = "|p|div|li|ul|ol|dl|dt|dd|table|tr|blockquote|pre|section|article|main|br|hr|h1|h2|h3|h4|h5|h6|";

    private HtmlSource() {
    }

    public static Iterator<Parsed> open(InputStream in, String file, CleaningConfig config) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(config.maxDocumentBytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > config.maxDocumentBytes()) {
            return Sources.one(file, "document-too-large", "HTML document is larger than maxDocumentBytes="
                    + config.maxDocumentBytes() + "; split it or raise the limit");
        }
        String text = toText(new String(bytes, StandardCharsets.UTF_8), "");
        return new TextSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file,
                config.textChunkChars(), config.maxLineBytes());
    }

    /** Readable text of an HTML document with headings as Markdown and one blank line between blocks. */
    public static String toText(String html, String baseUri) {
        Document doc = Jsoup.parse(html, baseUri);
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
