package dev.tailor.dataprep.boilerplate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boilerplate, non-text archive entries and question structure on real documentation shipped by Debian (see
 * src/test/resources/data/README.md, "docs/"): the PostgreSQL 15 HTML manual (navigation bars on every page, a
 * stylesheet and an image in the folder, reference tables whose cells end with '?'), the Debian FAQ as PDF (running
 * page headers, page numbers, table-of-contents pages with dot leaders) and the Python FAQ (Sphinx pages). Each case
 * runs with {@code removeBoilerplate} and {@code skipNonText} off (what cleaning did before) and on, with {@code questionsFromStructure}, and prints both.
 */
class DocumentBoilerplateTest {
    private static final String POSTGRES_PAGES = "user-manag database-roles role-attributes role-membership role-removal"
            + " predefined-roles sql-droprole sql-createrole functions-range seg pgtesttiming pltcl-dbaccess catalog-pg-policy"
            + " tutorial-window tutorial-populate tutorial-select";
    private static final CleaningConfig BEFORE = CleaningConfig.fromJson("{\"trainRatio\":1,\"validationRatio\":0,\"testRatio\":0,"
            + "\"removeBoilerplate\":false,\"skipNonText\":false,\"questionsFromStructure\":false}");
    private static final CleaningConfig AFTER = FormatsTest.ALL_TRAIN;
    private static final Pattern NAV_BAR = Pattern.compile("\\bPrev\\s*Up.{0,120}?\\bNext\\b", Pattern.DOTALL);

    static byte[] postgresZip() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (String page : (POSTGRES_PAGES + " stylesheet.css gin.svg").split(" ")) {
                String name = page.contains(".") ? page : page + ".html";
                z.putNextEntry(new ZipEntry("html/" + name));
                z.write(FormatsTest.resource("docs/postgresql/" + name));
            }
        }
        return zip.toByteArray();
    }

    record Run(List<JsonNode> examples, JsonNode report) {
        long count(Predicate<String> p) {
            return examples.stream().map(DocumentBoilerplateTest::text).filter(p).count();
        }

        long chats() {
            return examples.stream().filter(e -> e.has("messages")).count();
        }
    }

    static Run run(Path out, CleaningConfig cfg, String file, byte[] data) throws IOException {
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add(file, new ByteArrayInputStream(data), null);
        CleaningResult r = p.finish(Map.of());
        return new Run(CleaningPipelineTest.readJsonl(r.split(Split.TRAIN)), CleaningPipelineTest.JSON.readTree(r.report().toFile()));
    }

    static String text(JsonNode e) {
        if (e.has("text")) {
            return e.get("text").asText();
        }
        StringBuilder sb = new StringBuilder();
        e.get("messages").forEach(m -> sb.append(m.get("content").asText()).append('\n'));
        return sb.toString();
    }

    @Test
    void postgresManualLosesItsNavigationBarsStylesheetAndTableCellQuestions(@TempDir Path out) throws IOException {
        byte[] zip = postgresZip();
        Run before = run(out.resolve("before"), BEFORE, "postgresql-html.zip", zip);
        Run after = run(out.resolve("after"), AFTER, "postgresql-html.zip", zip);
        Predicate<String> navOnly = t -> t.length() < 300 && NAV_BAR.matcher(t).find();
        Predicate<String> anyNav = t -> NAV_BAR.matcher(t).find();
        Predicate<String> css = t -> t.contains("margin-left:") || t.contains("font-family:");
        long cellQuestionsBefore = before.examples().stream().filter(e -> e.has("messages")
                && e.at("/source/file").asText().matches(".*(functions-range|seg|catalog-pg-policy|pgtesttiming|pltcl).*")).count();
        long cellQuestionsAfter = after.examples().stream().filter(e -> e.has("messages")
                && e.at("/source/file").asText().matches(".*(functions-range|seg|catalog-pg-policy|pgtesttiming|pltcl).*")).count();
        System.out.printf("PostgreSQL manual, 16 pages + stylesheet + image: examples %d -> %d; chunks that are only a"
                        + " navigation bar %d -> %d; with a navigation bar %d -> %d; stylesheet chunks %d -> %d; 'questions' from"
                        + " reference tables and synopses %d -> %d; entries skipped as non-text: %d%n",
                before.examples().size(), after.examples().size(), before.count(navOnly), after.count(navOnly),
                before.count(anyNav), after.count(anyNav), before.count(css), after.count(css), cellQuestionsBefore,
                cellQuestionsAfter, after.report().at("/counts/archive.skipped-non-text").asLong());
        assertTrue(before.count(navOnly) >= 10, "the manual's pages are navigation chunks without the rule");
        assertEquals(0, after.count(anyNav), "no navigation bar is left");
        assertTrue(before.count(css) >= 1);
        assertEquals(0, after.count(css), "the stylesheet is not training text");
        assertEquals(2, after.report().at("/counts/archive.skipped-non-text").asLong(), "stylesheet.css and gin.svg");
        assertTrue(cellQuestionsBefore >= 5, "table cells ending with '?' were paired as questions: " + cellQuestionsBefore);
        assertEquals(0, cellQuestionsAfter, "no question from a table cell, an option or a synopsis");
        assertTrue(after.report().at("/counts/boilerplate.navigation").asLong() >= 32, after.report().get("counts").toString());
        JsonNode sample = after.report().at("/samples/boilerplate.navigation/0");
        assertTrue(sample.get("text").asText().contains("Prev") && sample.get("file").asText().startsWith("postgresql-html.zip!html/"),
                sample.toString());
        String range = after.examples().stream().map(DocumentBoilerplateTest::text).filter(t -> t.contains("anyrange &< anyrange"))
                .findFirst().orElseThrow();
        assertTrue(range.contains("| anyrange &< anyrange → boolean Does the first range not extend to the right of the second?"),
                "a table row stays one line, its description with it: " + range);
    }

    @Test
    void debianFaqPdfLosesRunningHeadersPageNumbersAndItsTableOfContents(@TempDir Path out) throws IOException {
        byte[] pdf = FormatsTest.resource("docs/debian-faq/debian-faq.en.pdf");
        Run before = run(out.resolve("before"), BEFORE, "debian-faq.en.pdf", pdf);
        Run after = run(out.resolve("after"), AFTER, "debian-faq.en.pdf", pdf);
        Pattern header = Pattern.compile("CHAPTER \\d+\\. [A-Z][A-Z ]{4,}");
        Pattern dotLeaders = Pattern.compile("(?: \\.){6,}");
        long headerQuestionsBefore = before.examples().stream().filter(e -> e.has("messages")
                && header.matcher(e.at("/messages/0/content").asText()).find()).count();
        System.out.printf("Debian FAQ (PDF, 73 pages): examples %d -> %d; with a running page header %d -> %d; running"
                        + " headers taken as questions %d -> 0; with table-of-contents dot leaders %d -> %d; question/answer pairs"
                        + " %d -> %d (answers mean %.0f characters)%n",
                before.examples().size(), after.examples().size(), before.count(t -> header.matcher(t).find()),
                after.count(t -> header.matcher(t).find()), headerQuestionsBefore, before.count(t -> dotLeaders.matcher(t).find()),
                after.count(t -> dotLeaders.matcher(t).find()), before.chats(), after.chats(),
                after.examples().stream().filter(e -> e.has("messages")).mapToInt(e -> e.at("/messages/1/content").asText().length())
                        .average().orElse(0));
        assertTrue(headerQuestionsBefore >= 3, "running headers became questions without the rule");
        assertEquals(0, after.count(t -> header.matcher(t).find()), "no running header is left");
        assertTrue(before.count(t -> dotLeaders.matcher(t).find()) >= 1);
        assertEquals(0, after.count(t -> dotLeaders.matcher(t).find()), "no table-of-contents line is left");
        assertTrue(after.chats() >= 60, "the numbered FAQ questions become question/answer pairs: " + after.chats());
        assertTrue(after.examples().stream().anyMatch(e -> e.at("/messages/0/content").asText().equals("What is this FAQ?")));
        JsonNode counts = after.report().get("counts");
        assertTrue(counts.get("boilerplate.page-number").asLong() >= 50 && counts.get("boilerplate.page-header").asLong() >= 40
                && counts.get("boilerplate.table-of-contents").asLong() >= 3, counts.toString());
    }

    @Test
    void pythonFaqHeadingsBecomeQuestionsWithoutSphinxChrome(@TempDir Path out) throws IOException {
        Run before = new Run(List.of(), null);
        Run after = new Run(List.of(), null);
        for (String page : List.of("general.html", "library.html")) {
            byte[] html = FormatsTest.resource("docs/python-faq/" + page);
            Run b = run(out.resolve("before-" + page), BEFORE, page, html);
            Run a = run(out.resolve("after-" + page), AFTER, page, html);
            before = new Run(concat(before.examples(), b.examples()), b.report());
            after = new Run(concat(after.examples(), a.examples()), a.report());
        }
        Predicate<String> chrome = t -> t.contains("© Copyright") || t.contains("Created using") || t.contains("Previous topic")
                || t.contains("Show Source");
        System.out.printf("Python FAQ (general, library): examples %d -> %d; with Sphinx navigation %d -> %d; question/answer"
                + " pairs %d -> %d%n", before.examples().size(), after.examples().size(), before.count(chrome), after.count(chrome),
                before.chats(), after.chats());
        assertEquals(0, after.count(chrome));
        assertTrue(before.count(chrome) >= 1, "Sphinx's footer was training text");
        assertTrue(after.chats() >= 45 && after.chats() > 10 * Math.max(1, before.chats()), after.chats() + " vs " + before.chats());
        JsonNode q = after.examples().stream().filter(e -> e.at("/messages/0/content").asText()
                .equals("How do I generate random numbers in Python?")).findFirst().orElseThrow();
        assertTrue(q.at("/messages/1/content").asText().contains("random"), q.toString());
        assertFalse(after.examples().stream().anyMatch(e -> e.at("/messages/0/content").asText().endsWith("¶")));
    }

    private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

}
