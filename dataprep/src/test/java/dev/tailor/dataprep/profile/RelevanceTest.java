package dev.tailor.dataprep.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.config.ReportSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relevance to a use case on real data: the project's support-faq sample (examples/support-faq.jsonl: SQLite FAQ
 * pairs and SpamAssassin mailing-list pairs, see examples/README.md), split into its SQLite pairs and its mail pairs,
 * and PostgreSQL manual pages plus a real mailing-list thread (data/README.md). Figures are printed. (On all 258
 * pairs: SQLite pairs mean 0.496, mail pairs 0.016 with 99.6 % below 0.2, to "questions about using the SQLite
 * database engine".)
 */
class RelevanceTest {
    private static final double THRESHOLD = ReportSettings.DEFAULT_RELEVANCE_THRESHOLD;

    @Test
    void sqlitePairsAreCloserToAnSqliteUseCaseThanTheMailingListPairs(@TempDir Path out) throws IOException {
        List<String[]> faq = faqSources();
        String mail100 = String.join("\n", faq.get(1)[1].lines().limit(100).toList()); // fewer to embed: a short test
        JsonNode m = profile(out, "questions about using the SQLite database engine", List.of(faq.get(0),
                new String[] {"mail.jsonl", mail100}));
        JsonNode sqlite = m.at("/sources/sqlite.jsonl/relevance");
        JsonNode mail = m.at("/sources/mail.jsonl/relevance");
        print("SQLite use case", m);
        assertTrue(sqlite.get("meanSimilarity").asDouble() > mail.get("meanSimilarity").asDouble() + 0.2, m.toString());
        assertTrue(sqlite.get("shareBelowThreshold").asDouble() < 0.1, sqlite.toString());
        assertTrue(mail.get("shareBelowThreshold").asDouble() > 0.5, mail.toString());
        assertEquals(Relevance.LEAST, mail.get("leastRelevant").size());
        JsonNode least = m.at("/overall/relevance/leastRelevant/0");
        assertEquals("mail.jsonl", least.get("source").asText(), least.toString());
        assertTrue(least.get("id").asText().startsWith("mail.jsonl"), least.toString());
        assertTrue(m.get("sufficiency").toString().contains("look unrelated to the use case"), m.get("sufficiency").toString());
    }

    @Test
    void anUnrelatedUseCaseFindsAlmostEverythingOffTopic(@TempDir Path out) throws IOException {
        List<String[]> faq = faqSources();
        String mail = String.join("\n", faq.get(1)[1].lines().limit(40).toList()); // fewer to embed: the test stays short
        JsonNode m = profile(out, "recipes for baking sourdough bread at home", List.of(faq.get(0), new String[] {"mail.jsonl", mail}));
        print("bread use case", m);
        JsonNode all = m.at("/overall/relevance");
        assertTrue(all.get("shareBelowThreshold").asDouble() > 0.9, all.toString());
        assertTrue(all.get("meanSimilarity").asDouble() < THRESHOLD, all.toString());
        assertTrue(m.get("sufficiency").toString().contains("look unrelated to the use case \\\"recipes"),
                m.get("sufficiency").toString());
    }

    @Test
    void documentsAndMailAgainstAPostgresUseCase(@TempDir Path out) throws IOException {
        Path pg = Path.of("src/test/resources/data/docs/postgresql");
        List<String[]> sources = new ArrayList<>();
        for (String page : List.of("database-roles.html", "role-attributes.html", "tutorial-select.html", "datatype-numeric.html")) {
            sources.add(new String[] {page, Files.readString(pg.resolve(page))});
        }
        sources.add(new String[] {"ilug-threads.mbox", new String(FormatsTest.resource("ilug-threads.mbox"), StandardCharsets.UTF_8)});
        JsonNode m = profile(out, "administering a PostgreSQL database server: roles, privileges and queries", sources);
        print("PostgreSQL use case", m);
        double roles = m.at("/sources/database-roles.html/relevance/meanSimilarity").asDouble();
        double mail = m.at("/sources/ilug-threads.mbox/relevance/meanSimilarity").asDouble();
        assertTrue(roles > mail + 0.15, "roles " + roles + ", mail " + mail);
        assertTrue(m.at("/sources/database-roles.html/relevance/shareBelowThreshold").asDouble() < 0.5, m.toString());
    }

    @Test
    void aBlankUseCaseOrAThresholdOutsideMinusOneToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Relevance(" ", 0.2));
        assertThrows(IllegalArgumentException.class, () -> new Relevance("support", 1.5));
        String msg = assertThrows(IllegalArgumentException.class, () -> CleaningConfig.fromJson("{\"relevanceThreshold\": 2}")).getMessage();
        assertTrue(msg.contains("relevanceThreshold"), msg);
        assertEquals("support for SQLite", CleaningConfig.fromJson("{\"useCase\": \" support for SQLite \"}").report().useCase());
        assertFalse(CleaningConfig.fromJson("{\"useCase\": \"x\"}").hash().equals(CleaningConfig.defaults().hash()));
    }

    /** examples/support-faq.jsonl: pairs that mention SQLite, and the others (mailing-list pairs). */
    static List<String[]> faqSources() throws IOException {
        List<String> sqlite = new ArrayList<>();
        List<String> mail = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "examples", "support-faq.jsonl"))) {
            (line.toLowerCase(Locale.ROOT).contains("sqlite") ? sqlite : mail).add(line);
        }
        return List.of(new String[] {"sqlite.jsonl", String.join("\n", sqlite)}, new String[] {"mail.jsonl", String.join("\n", mail)});
    }

    private static JsonNode profile(Path out, String useCase, List<String[]> sources) throws IOException {
        DatasetProfile profile = new DatasetProfile((TokenCounter) null, 256, false).relevance(new Relevance(useCase, THRESHOLD));
        long start = System.nanoTime();
        try (CleaningPipeline p = new CleaningPipeline(CleaningConfig.defaults(), out)) {
            p.profile(profile);
            for (String[] s : sources) {
                p.add(s[0], new ByteArrayInputStream(s[1].getBytes(StandardCharsets.UTF_8)), null);
            }
            p.finish(Map.of());
        }
        JsonNode m = new ObjectMapper().valueToTree(profile.toMap());
        System.out.printf("cleaned and scored %d examples in %d ms%n", m.at("/overall/kept").asLong(), (System.nanoTime() - start) / 1_000_000);
        return m;
    }

    private static void print(String title, JsonNode m) {
        System.out.println("relevance, " + title + ": \"" + m.at("/overall/relevance/useCase").asText() + "\"");
        m.get("sources").fields().forEachRemaining(e -> {
            JsonNode r = e.getValue().get("relevance");
            System.out.printf("  %-24s %4d examples  mean %.3f  median %.3f  below %.2f: %.3f%n", e.getKey(),
                    r.get("examples").asInt(), r.get("meanSimilarity").asDouble(), r.get("medianSimilarity").asDouble(),
                    THRESHOLD, r.get("shareBelowThreshold").asDouble());
        });
        JsonNode all = m.at("/overall/relevance");
        System.out.printf("  %-24s %4d examples  mean %.3f  median %.3f  below %.2f: %.3f%n", "overall",
                all.get("examples").asInt(), all.get("meanSimilarity").asDouble(), all.get("medianSimilarity").asDouble(),
                THRESHOLD, all.get("shareBelowThreshold").asDouble());
        all.get("leastRelevant").forEach(l -> System.out.printf("    least: %.3f %s %s%n", l.get("similarity").asDouble(),
                l.get("id").asText(), l.get("excerpt").asText()));
        m.get("sufficiency").forEach(n -> System.out.println("  note: " + n.asText()));
    }
}
