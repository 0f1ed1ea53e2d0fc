package dev.tailor.dataprep.boilerplate;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Removes the page furniture of an HTML page before its text is taken, in three documented steps (the rules of
 * boilerpipe's and jusText's block classifiers that hold for documentation, where short blocks and code are content):
 * <ol>
 *   <li><b>chrome by markup</b>: {@code script}, {@code style}, {@code nav}, {@code header}, {@code footer},
 *   {@code aside}, {@code form}, ARIA navigation/banner/contentinfo roles, and elements whose class or id names a
 *   navigation part ({@code navheader}/{@code navfooter} of DocBook, {@code related}/{@code sphinxsidebar} of Sphinx,
 *   {@code breadcrumb}, {@code toc}, {@code menu}, {@code sidebar}, {@code pager}, …);</li>
 *   <li><b>navigation bars</b>: a block with at least two navigation links (text Prev, Previous, Next, Up, Home, Top,
 *   Contents, Index…, or an {@code accesskey}, or {@code rel} prev/next/up/home) and little other text (at most
 *   {@value #NAV_OTHER_TEXT} characters): the "Prev Up Home Next" bars of generated manuals;</li>
 *   <li><b>link lists</b> (jusText's link density): a list, table or division with at least
 *   three links whose link text is at least {@value #LINK_DENSITY} of its text: tables of contents, indexes,
 *   "see also" menus;</li>
 * </ol>
 * and in-page tables of contents (list items that are only a link to an anchor). Each removal is reported.
 */
public final class HtmlBoilerplate {
    private static final String CHROME = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg,"
            + " [role=navigation], .menu, .nav, .navbar, .breadcrumb, .sidebar, .toc, #toc";
    /** Permalink anchors in headings (Sphinx, MkDocs, Jupyter…): a "¶" or "#" that would end the heading's text. */
    private static final String PERMALINKS = "a.headerlink, a.anchor-link, a.anchorjs-link, a.header-anchor, a.permalink";
    private static final String MORE_CHROME = "[role=banner], [role=contentinfo]";
    private static final Pattern NAV_NAME = Pattern.compile("(?i)(?:^|[-_])(nav|navbar|navheader|navfooter|navigation|"
            + "breadcrumbs?|sidebar|sphinxsidebar|sphinxsidebarwrapper|menu|menubar|toc|related|footer|header|pager|"
            + "pagination|skip-?links?|topnav|bottomnav|subnav|site-?footer|site-?header)(?:$|[-_])");
    private static final Pattern NAV_WORD = Pattern.compile("(?i)[«‹<←\\s]*(prev|previous|next|up|home|top|contents|"
            + "table of contents|index|back|forward|start|first|last|modules|zurück|weiter|précédent|suivant|anterior|siguiente)"
            + "(\\s+(page|chapter|section|topic))?[\\s»›>→]*");
    private static final Set<String> NAV_REL = Set.of("prev", "previous", "next", "up", "home", "start", "first", "last",
            "index", "contents");
    private static final String BLOCKS = "table, div, p, ul, ol, dl, section, tr";
    /** Where a link list is a menu or a table of contents (a paragraph full of links is content: "see A, B and C"). */
    private static final Set<String> LISTS = Set.of("ul", "ol", "dl", "table", "div");
    static final int NAV_OTHER_TEXT = 150;
    static final double LINK_DENSITY = 0.6;

    private HtmlBoilerplate() {
    }

    /**
     * Removes the chrome of e-mail bodies and of documents read without {@code removeBoilerplate}: scripts, styles,
     * nav/header/footer/aside/form elements, navigation roles, menus, breadcrumbs, sidebars, tables of contents.
     */
    public static void removeChrome(Document doc) {
        doc.select(CHROME).remove();
        inPageNavigation(doc);
    }

    /**
     * Removes chrome, navigation bars and link lists from {@code doc} in place; {@code removed} gets the rule
     * ({@code navigation}, {@code link-list}, {@code chrome}) and the text of each removed block that had text.
     */
    public static void remove(Document doc, BiConsumer<String, String> removed) {
        doc.select(PERMALINKS).remove();
        for (Element e : doc.select(CHROME + ", " + MORE_CHROME)) {
            if (e.parent() != null) {
                report(removed, "chrome", e);
                e.remove();
            }
        }
        for (Element e : doc.getAllElements()) {
            if (e.parent() != null && e != doc.body() && namedNavigation(e)) {
                report(removed, "navigation", e);
                e.remove();
            }
        }
        inPageNavigation(doc);
        for (Element e : doc.select(BLOCKS)) {
            if (e.parent() == null || e == doc.body()) {
                continue;
            }
            List<Element> links = e.select("a[href]");
            if (links.size() < 2) {
                continue;
            }
            int text = e.text().length();
            int navLinks = 0;
            int navText = 0;
            int linkText = 0;
            for (Element a : links) {
                int n = a.text().length();
                linkText += n;
                if (navigationLink(a)) {
                    navLinks++;
                    navText += n;
                }
            }
            if (navLinks >= 2 && text - navText <= NAV_OTHER_TEXT) {
                report(removed, "navigation", e);
                e.remove();
            } else if (LISTS.contains(e.normalName()) && links.size() >= 3 && text > 0 && linkText >= LINK_DENSITY * text
                    && e.selectFirst("pre, code.programlisting") == null) {
                report(removed, "link-list", e);
                e.remove();
            }
        }
    }

    /** In-page navigation: list items that are only a link to an anchor. */
    private static void inPageNavigation(Document doc) {
        for (Element li : doc.select("li")) {
            Element a = li.selectFirst("a[href^=#]");
            if (li.parent() != null && a != null && li.text().equals(a.text())) {
                li.remove();
            }
        }
    }

    private static void report(BiConsumer<String, String> removed, String rule, Element e) {
        String t = e.text();
        if (!t.isBlank()) {
            removed.accept(rule, t);
        }
    }

    /** An element whose class or id names a navigation part (DocBook navheader, Sphinx related, breadcrumbs…). */
    static boolean namedNavigation(Element e) {
        if (e.normalName().matches("h[1-6]|pre|code|body|html|main|article|td|th|span|a")) {
            return false;
        }
        for (String c : e.classNames()) {
            if (NAV_NAME.matcher(c).find()) {
                return true;
            }
        }
        return !e.id().isEmpty() && NAV_NAME.matcher(e.id()).find();
    }

    static boolean navigationLink(Element a) {
        if (a.hasAttr("accesskey")) {
            return true;
        }
        for (String rel : a.attr("rel").toLowerCase(Locale.ROOT).split("\\s+")) {
            if (NAV_REL.contains(rel)) {
                return true;
            }
        }
        String t = a.text().strip();
        return !t.isEmpty() && t.length() <= 40 && NAV_WORD.matcher(t).matches();
    }
}
