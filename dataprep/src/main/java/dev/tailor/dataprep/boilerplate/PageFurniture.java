package dev.tailor.dataprep.boilerplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Running headers, footers and page numbers of a paginated document (PDF), and its table-of-contents pages, found by
 * page association (Lin, "Header and footer extraction by page-association", 2003): the first and last paragraphs of
 * each page are candidates; a candidate is furniture when, with digits masked, it equals or shares most of its leading
 * words with the candidate at the same place on one of the {@value #WINDOW} pages before or after it (odd and even
 * pages may differ), or when its first two words (digits masked: "chapter #.") begin the same edge paragraph of at
 * least a quarter of the pages (running headers that name the chapter and a section), or when it is only a page number ({@code 12}, {@code iv}, {@code Page 3 of 9}, {@code - 7 -}). A
 * page whose lines are mostly table-of-contents entries (dot leaders and a page number) is a table of contents.
 */
public final class PageFurniture {
    static final int WINDOW = 2;
    /** Candidates per page edge: the first two paragraphs at the top, the last two at the bottom. */
    private static final int EDGE = 2;
    private static final int MAX_CANDIDATE_CHARS = 200;
    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "(?i)(page\\s+)?[-–—]?\\s*(\\d{1,4}|[ivxlcdm]{1,7})\\s*[-–—]?(\\s*(/|of)\\s*\\d{1,4})?");
    private static final Pattern DOT_LEADER = Pattern.compile(".*\\S(?:\\s*\\.){4,}\\s*(?:\\d{1,4}|[ivxlcdm]{1,7})\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PARAGRAPHS = Pattern.compile("\n\\s*\n");

    private PageFurniture() {
    }

    /**
     * The text of {@code pages} without their furniture, paragraphs separated by a blank line; {@code removed} gets the
     * rule ({@code page-header}, {@code page-footer}, {@code page-number}, {@code table-of-contents}) and the text of each
     * removal. Fewer than three pages are joined unchanged (nothing to compare).
     */
    public static String remove(List<String> pages, BiConsumer<String, String> removed) {
        if (pages.size() < 3) {
            return String.join("\n\n", pages);
        }
        List<List<String>> paras = new ArrayList<>(pages.size());
        for (String page : pages) {
            List<String> p = new ArrayList<>();
            for (String s : PARAGRAPHS.split(page)) {
                if (!s.isBlank()) {
                    p.add(s.strip());
                }
            }
            paras.add(p);
        }
        java.util.Map<String, Integer> topLead = new java.util.HashMap<>();
        java.util.Map<String, Integer> bottomLead = new java.util.HashMap<>();
        for (List<String> p : paras) {
            if (!p.isEmpty()) {
                topLead.merge(lead(p.get(0)), 1, Integer::sum);
                bottomLead.merge(lead(p.get(p.size() - 1)), 1, Integer::sum);
            }
        }
        int often = Math.max(3, pages.size() / 4);
        boolean[][] drop = new boolean[pages.size()][];
        for (int i = 0; i < paras.size(); i++) {
            drop[i] = new boolean[paras.get(i).size()];
            if (tableOfContents(paras.get(i))) {
                java.util.Arrays.fill(drop[i], true);
                removed.accept("table-of-contents", String.join("\n", paras.get(i)));
            }
        }
        for (int i = 0; i < paras.size(); i++) {
            List<String> p = paras.get(i);
            for (int k = 0; k < Math.min(EDGE, p.size()) && !drop[i][k]; k++) { // top: the second only after the first
                if (!furniture(paras, i, k, true, k == 0 ? topLead : java.util.Map.of(), often, removed)) {
                    break;
                }
                drop[i][k] = true;
            }
            for (int k = 0; k < Math.min(EDGE, p.size()) && !drop[i][p.size() - 1 - k]; k++) {
                if (!furniture(paras, i, k, false, k == 0 ? bottomLead : java.util.Map.of(), often, removed)) {
                    break;
                }
                drop[i][p.size() - 1 - k] = true;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < paras.size(); i++) {
            for (int k = 0; k < paras.get(i).size(); k++) {
                if (!drop[i][k]) {
                    out.append(out.length() == 0 ? "" : "\n\n").append(paras.get(i).get(k));
                }
            }
        }
        return out.toString();
    }

    /** Whether the paragraph {@code k}-th from the top (or bottom) of page {@code i} is furniture; reports it if so. */
    private static boolean furniture(List<List<String>> paras, int i, int k, boolean top, java.util.Map<String, Integer> leads,
                                     int often, BiConsumer<String, String> removed) {
        String c = at(paras.get(i), k, top);
        if (c == null || c.length() > MAX_CANDIDATE_CHARS || c.lines().count() > 2) {
            return false;
        }
        if (PAGE_NUMBER.matcher(c).matches()) {
            removed.accept("page-number", c);
            return true;
        }
        String key = mask(c);
        String lead = lead(c);
        if (lead.contains(" ") && leads.getOrDefault(lead, 0) >= often) {
            removed.accept(top ? "page-header" : "page-footer", c);
            return true;
        }
        for (int j = Math.max(0, i - WINDOW); j <= Math.min(paras.size() - 1, i + WINDOW); j++) {
            String other = j == i ? null : at(paras.get(j), k, top);
            if (other != null && other.length() <= MAX_CANDIDATE_CHARS && similar(key, mask(other))) {
                removed.accept(top ? "page-header" : "page-footer", c);
                return true;
            }
        }
        return false;
    }

    private static String at(List<String> p, int k, boolean top) {
        return k >= p.size() ? null : p.get(top ? k : p.size() - 1 - k);
    }

    /** The first two words, digits masked ("chapter #."); the candidate's first line only. */
    static String lead(String s) {
        String[] w = mask(s.lines().findFirst().orElse("")).split(" ", 3);
        return w.length < 2 ? w[0] : w[0] + " " + w[1];
    }

    static String mask(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\d+", "#").replaceAll("\\s+", " ").strip();
    }

    /** Equal, or sharing their first three or more words and at least half of the longer one's words, in order. */
    static boolean similar(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        String[] x = a.split(" ");
        String[] y = b.split(" ");
        int common = 0;
        while (common < x.length && common < y.length && x[common].equals(y[common])) {
            common++;
        }
        return common >= 3 && common * 2 >= Math.max(x.length, y.length);
    }

    /** Most lines are entries with dot leaders and a page number (at least three). */
    static boolean tableOfContents(List<String> paragraphs) {
        int lines = 0;
        int entries = 0;
        for (String p : paragraphs) {
            for (String l : p.split("\n")) {
                lines++;
                if (l.length() < 300 && DOT_LEADER.matcher(l).matches()) {
                    entries++;
                }
            }
        }
        return entries >= 3 && entries * 5 >= lines * 2;
    }
}
