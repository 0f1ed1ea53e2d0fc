package dev.tailor.dataprep.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML that Apache Tika makes of a document into the Markdown-ish text {@link TextSource} reads:
 * {@code h1}..{@code h6} become {@code #} headings, paragraphs are separated by a blank line, list items are
 * lines starting with {@code -} or {@code 1.} (indented when nested), and a table becomes {@code | a | b |} rows
 * with a separator after the first. Emphasis, links and the document head are dropped: only their text stays.
 */
final class DocumentText extends DefaultHandler {
    private static final Pattern SPACES = Pattern.compile("[ \\t\\u00a0\\u2007\\u202f]+");
    private static final Pattern ANY_SPACE = Pattern.compile("[\\s\\u00a0\\u2007\\u202f]+");
    private static final Pattern BLANK_LINES = Pattern.compile("\n(?:[ \\t]*\n)+");
    /** A bullet glyph that a word processor writes before a list paragraph's text (U+F0B7: Symbol font). */
    private static final Pattern BULLET = Pattern.compile("^[\u00b7\u2022\u2023\u25aa\u25a0\u25a1\u25cb\u25cf\u25e6\u2013\u2212\u27a2\u2713\uf0a7\uf0b7]\\s+");

    private final StringBuilder out = new StringBuilder();
    private final StringBuilder block = new StringBuilder();
    private final Deque<int[]> lists = new ArrayDeque<>(); // {ordered 0/1, items so far}
    private final List<List<String>> rows = new ArrayList<>();
    private List<String> row;
    private StringBuilder cell;
    private String prefix = "";
    private boolean listParagraph;
    private int heading;
    private int tables;
    private int skipped;
    /** Where each page of a paginated document (Tika's {@code <div class="page">}) starts in {@link #out}. */
    private final List<Integer> pageStarts = new ArrayList<>();

    /** The text read, to the end of the document. */
    String text() {
        endBlock();
        endTable();
        return out.toString();
    }

    /**
     * {@code text} (as returned by {@link #text()} or {@link #textBeforeCut()}) cut into its pages; one page when the
     * document has none (not a PDF).
     */
    List<String> pages(String text) {
        List<String> pages = new ArrayList<>(pageStarts.size() + 1);
        int from = 0;
        for (int start : pageStarts) {
            int at = Math.min(start, text.length());
            if (at > from) {
                pages.add(text.substring(from, at));
            }
            from = Math.max(from, at);
        }
        pages.add(text.substring(from));
        return pages;
    }

    /** The text read before a cut: the paragraph or table row being read is dropped, the rows before it kept. */
    String textBeforeCut() {
        block.setLength(0);
        return text();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        String name = name(localName, qName);
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipped++;
            return;
        }
        if (skipped > 0) {
            return;
        }
        if (tables > 0) {
            startInTable(name);
            return;
        }
        switch (name) {
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                endBlock();
                heading = name.charAt(1) - '0';
            }
            case "ul", "ol" -> {
                endBlock();
                lists.push(new int[] {name.equals("ol") ? 1 : 0, 0});
            }
            case "li" -> {
                endBlock();
                int[] list = lists.isEmpty() ? new int[] {0, 0} : lists.peek();
                list[1]++;
                prefix = "  ".repeat(Math.max(0, lists.size() - 1)) + (list[0] == 1 ? list[1] + ". " : "- ");
            }
            case "table" -> {
                endBlock();
                tables = 1;
            }
            case "br" -> block.append('\n');
            case "p" -> {
                endBlock();
                String style = atts.getValue("class"); // Word's paragraph style: "list_Paragraph" for numbered items
                listParagraph = style != null && style.toLowerCase(Locale.ROOT).contains("list");
            }
            case "div" -> {
                endBlock();
                if ("page".equals(atts.getValue("class"))) {
                    endTable();
                    pageStarts.add(out.length());
                }
            }
            case "blockquote", "pre", "dt", "dd" -> endBlock();
            default -> { }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = name(localName, qName);
        if (name.equals("head") || name.equals("script") || name.equals("style")) {
            skipped--;
            return;
        }
        if (skipped > 0) {
            return;
        }
        if (tables > 0) {
            endInTable(name);
            return;
        }
        switch (name) {
            case "ul", "ol" -> {
                endBlock();
                lists.poll();
                if (lists.isEmpty()) {
                    paragraphBreak();
                }
            }
            case "h1", "h2", "h3", "h4", "h5", "h6", "li" -> {
                endBlock();
                heading = 0;
                prefix = "";
            }
            case "p" -> {
                endBlock();
                listParagraph = false;
            }
            case "div", "blockquote", "pre", "dt", "dd" -> endBlock();
            default -> { }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (skipped > 0) {
            return;
        }
        (cell != null ? cell : block).append(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    private void startInTable(String name) {
        switch (name) {
            case "table" -> tables++; // a table in a cell: its text joins the cell
            case "tr" -> {
                if (tables == 1) {
                    row = new ArrayList<>();
                }
            }
            case "td", "th" -> {
                if (tables == 1) {
                    cell = new StringBuilder();
                }
            }
            default -> {
                if (cell != null) {
                    cell.append(' '); // paragraphs and line breaks inside a cell
                }
            }
        }
    }

    private void endInTable(String name) {
        switch (name) {
            case "table" -> {
                if (--tables == 0) {
                    endTable();
                }
            }
            case "td", "th" -> {
                if (tables == 1 && cell != null && row != null) {
                    row.add(ANY_SPACE.matcher(cell).replaceAll(" ").strip().replace("|", "\\|"));
                    cell = null;
                }
            }
            case "tr" -> {
                if (tables == 1 && row != null) {
                    if (row.stream().anyMatch(c -> !c.isEmpty())) {
                        rows.add(row);
                    }
                    row = null;
                }
            }
            default -> { }
        }
    }

    private void endTable() {
        tables = 0;
        cell = null;
        row = null;
        if (rows.isEmpty()) {
            return;
        }
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder("|");
            for (int c = 0; c < columns; c++) {
                line.append(' ').append(c < rows.get(r).size() ? rows.get(r).get(c) : "").append(" |");
            }
            out.append(line).append('\n');
            if (r == 0) {
                out.append("|").append(" --- |".repeat(columns)).append('\n');
            }
        }
        rows.clear();
        out.append('\n');
    }

    /**
     * Writes the block being read, if it has text: a heading on one line; a list item (in a list, in a paragraph
     * styled as a list, or after a bullet glyph, which becomes {@code -}) as one line; a paragraph as its lines.
     * A heading or list item ends with its text (a paragraph inside an item keeps the item's marker).
     */
    private void endBlock() {
        if (block.toString().isBlank()) {
            block.setLength(0);
            return;
        }
        String raw = block.toString();
        block.setLength(0);
        String line = ANY_SPACE.matcher(raw).replaceAll(" ").strip();
        Matcher bullet = BULLET.matcher(line);
        boolean bulleted = heading == 0 && bullet.lookingAt();
        if (heading > 0) {
            paragraphBreak();
            out.append("#".repeat(heading)).append(' ').append(line).append("\n\n");
        } else if (!prefix.isEmpty() || listParagraph || bulleted) {
            out.append(prefix.isEmpty() && bulleted ? "- " : prefix).append(bulleted ? line.substring(bullet.end()) : line).append('\n');
        } else {
            paragraphBreak();
            String lines = SPACES.matcher(raw.replace("\r", "")).replaceAll(" ");
            out.append(BLANK_LINES.matcher(lines).replaceAll("\n").strip().replace(" \n", "\n").replace("\n ", "\n")).append("\n\n");
        }
        heading = 0;
        prefix = "";
        listParagraph = false;
    }

    /** Ends the list lines written so far with a blank line. */
    private void paragraphBreak() {
        int n = out.length();
        if (n > 0 && out.charAt(n - 1) == '\n' && (n == 1 || out.charAt(n - 2) != '\n')) {
            out.append('\n');
        }
    }

    private static String name(String localName, String qName) {
        String n = localName == null || localName.isEmpty() ? qName.substring(qName.indexOf(':') + 1) : localName;
        return n.toLowerCase(Locale.ROOT);
    }
}
