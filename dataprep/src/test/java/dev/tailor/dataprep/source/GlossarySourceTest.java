package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL manual's glossary (data/glossary/glossary.csv, see data/README.md) as training examples. */
class GlossarySourceTest {
    @Test
    void termsBecomeSeveralQuestionsAndSynonymsRelateToTheirTerm(@TempDir Path out) throws IOException {
        CleaningPipeline p = new CleaningPipeline(CleaningConfig.defaults(), out);
        p.add("docs/glossary.csv", new ByteArrayInputStream(FormatsTest.resource("glossary/glossary.csv")), null);
        CleaningResult r = p.finish(Map.of());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertEquals(117, report.at("/counts/glossary.terms").asLong());
        assertEquals(117 * 3 + 2 * 15, r.kept(), "three phrasings a term, two examples a synonym; nothing dropped as a near-duplicate");
        Map<String, Split> splitOfLine = new HashMap<>();
        List<JsonNode> all = new java.util.ArrayList<>();
        for (Split s : Split.values()) {
            for (JsonNode e : CleaningPipelineTest.readJsonl(r.split(s))) {
                all.add(e);
                Split before = splitOfLine.put(e.at("/source/line").asText(), s);
                assertTrue(before == null || before == s, "all examples of a term in one split: " + e);
                assertEquals("glossary", e.at("/flags/0").asText());
            }
        }
        // each example names its term (a training job may make it a token): the 117 terms, as the glossary writes them
        assertEquals(117, all.stream().map(e -> e.at("/metadata/term").asText()).distinct().count());
        JsonNode window = find(all, "What is analytic function?");
        assertEquals("Window function (routine)", window.at("/metadata/term").asText());
        assertTrue(window.at("/messages/1/content").asText().startsWith("Analytic function is another name for window function."),
                window.toString());
        JsonNode same = find(all, "Is analytic function the same as window function?");
        assertTrue(same.at("/messages/1/content").asText().startsWith("Yes."), same.toString());
        assertEquals("Atomicity, Consistency, Isolation, and Durability. This set of properties of database transactions is intended"
                + " to guarantee validity in concurrent operation and even in event of errors, power failures, etc.",
                find(all, "What does \"ACID\" mean?").at("/messages/1/content").asText());
        assertTrue(all.stream().anyMatch(e -> e.at("/messages/0/content").asText().equals("Can you explain aggregate function in simple terms?")));
    }

    @Test
    void aRowWithoutExplanationOrAGlossaryWithoutColumnsIsRejected(@TempDir Path out) throws IOException {
        CleaningConfig cfg = CleaningConfig.fromJson("{\"examples\":{\"glossaryFiles\":[\"terms.tsv\"]}}");
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        String tsv = "Term\tDefinition\tAliases\nSLA\tThe service level agreement: how fast support answers.\tservice level agreement\nTTR\t\t\n";
        p.add("export/terms.tsv", new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), null);
        p.add("glossary.csv", new ByteArrayInputStream("a,b\nx,y\n".getBytes(StandardCharsets.UTF_8)), null);
        CleaningResult r = p.finish(Map.of());
        assertEquals(5, r.kept(), "SLA: three phrasings and two for its synonym; glossary.csv is not a glossary here");
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        JsonNode empty = CleaningPipelineTest.find(report.get("dropped"), "empty-field");
        assertTrue(empty.get("reason").asText().contains("'TTR' has no explanation") && empty.get("line").asInt() == 3, empty.toString());
    }

    private static JsonNode find(List<JsonNode> all, String question) {
        return all.stream().filter(e -> e.at("/messages/0/content").asText().equals(question)).findFirst()
                .orElseThrow(() -> new AssertionError("no example asking '" + question + "'"));
    }
}
