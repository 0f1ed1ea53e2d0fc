package dev.tailor.dataprep.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic duplicates on real text (see {@code data/semantic/README.md}): Stack Exchange sentence pairs rated by
 * people (STS benchmark) and support-list questions asked twice with different replies. The figures on the same data
 * (precision, recall, speed, memory) are {@link SemanticDuplicateBenchmark}'s.
 */
class SemanticDuplicateIndexTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "semantic.jsonl";

    /** One STS row: id, crowd score 0–5, the two sentences. */
    record Pair(String id, int score, String first, String second) {
        boolean duplicate() {
            return score >= 4;
        }
    }

    static List<Pair> sts() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        for (String line : resource("sts-answer-answer.tsv").split("\n")) {
            String[] f = line.split("\t");
            pairs.add(new Pair(f[3], Integer.parseInt(f[4]), f[5], f[6]));
        }
        return pairs;
    }

    /** 82 chat lines: 41 questions each asked twice, pair k on lines 2k-1 and 2k; only pair 22 is a duplicate. */
    static List<String> sameQuestionLines() throws IOException {
        return List.of(resource("support-faq-same-question.jsonl").split("\n"));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SemanticDuplicateIndexTest.class.getResourceAsStream("/data/semantic/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Pair pair(List<Pair> all, String id) {
        return all.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    static String textLine(String text) {
        return JSON.createObjectNode().put("text", text).toString();
    }

    static JsonNode clean(Path out, String config, List<String> lines) throws IOException {
        CleaningResult r = CleaningPipelineTest.run(CleaningConfig.fromJson(config), out, FILE, String.join("\n", lines) + "\n");
        return JSON.readTree(r.report().toFile());
    }

    /** Input lines of the records dropped by {@code rule}. */
    static List<Integer> droppedLines(JsonNode report, String rule) {
        List<Integer> lines = new ArrayList<>();
        for (JsonNode d : report.get("dropped")) {
            if (rule.equals(d.get("rule").asText())) {
                lines.add(d.get("line").asInt());
            }
        }
        return lines;
    }

    @Test
    void offByDefault(@TempDir Path out) throws IOException {
        assertFalse(CleaningConfig.defaults().dedup().semanticDuplicates());
        List<Pair> sts = sts();
        List<String> lines = new ArrayList<>();
        for (String id : List.of("1014", "0175", "1392")) {
            lines.add(textLine(pair(sts, id).first()));
            lines.add(textLine(pair(sts, id).second()));
        }
        JsonNode report = clean(out, "{}", lines);
        assertEquals(6, report.get("kept").asInt());
        assertFalse(report.get("counts").has("dropped.semantic-duplicate"));
    }

    @Test
    void paraphrasedTextsAreDroppedAndDistinctOnesKept(@TempDir Path out) throws IOException {
        List<Pair> sts = sts();
        // duplicates (score 4-5) that share too few word 3-grams for MinHash, then distinct pairs (score 0-1),
        // two of them on the same topic with opposite meaning (0494, 1013)
        List<String> duplicates = List.of("1014", "0175", "1392", "0385", "0305", "0047");
        List<String> distinct = List.of("0494", "1013", "0314", "0768", "0239", "1404");
        List<String> lines = new ArrayList<>();
        for (String id : duplicates) {
            lines.add(textLine(pair(sts, id).first()));
            lines.add(textLine(pair(sts, id).second()));
        }
        for (String id : distinct) {
            lines.add(textLine(pair(sts, id).first()));
            lines.add(textLine(pair(sts, id).second()));
        }
        JsonNode report = clean(out, "{\"semanticDuplicates\":true,\"semanticDuplicateThreshold\":0.85}", lines);

        assertEquals(List.of(2, 4, 6, 8, 10, 12), droppedLines(report, "semantic-duplicate"));
        assertEquals(lines.size() - duplicates.size(), report.get("kept").asInt());
        JsonNode first = CleaningPipelineTest.find(report.get("dropped"), "semantic-duplicate");
        assertEquals(FILE, first.get("file").asText());
        assertTrue(first.get("reason").asText().matches("cosine similarity 0\\.9\\d\\d to an earlier example \\(threshold 0\\.85\\)"),
                first.get("reason").asText());
    }

    @Test
    void chatIsDuplicateOnlyWhenQuestionAndAnswerAreBoth(@TempDir Path out) throws IOException {
        // 41 questions asked twice with two replies; only the two translations of pair 22 say the same thing
        JsonNode report = clean(out, "{\"semanticDuplicates\":true,\"semanticDuplicateThreshold\":0.85,\"nearDuplicates\":false}",
                sameQuestionLines());
        assertEquals(List.of(44), droppedLines(report, "semantic-duplicate"));
        assertEquals(81, report.get("kept").asInt());
    }

    @Test
    void laterExamplesPastCapacityAreCheckedButNotRemembered() throws IOException {
        List<Pair> sts = sts();
        Pair a = pair(sts, "1014");
        Pair b = pair(sts, "0175");
        List<float[]> v = SemanticDuplicateIndex.embed(List.of(a.first(), a.second(), b.first(), b.second()));
        SemanticDuplicateIndex index = new SemanticDuplicateIndex(0.85, 1);
        assertEquals(-1, index.add(v.get(0), null).duplicateOf());
        assertEquals(0, index.add(v.get(1), null).duplicateOf()); // checked against the remembered one
        assertEquals(-1, index.add(v.get(2), null).duplicateOf()); // not remembered: capacity 1
        assertEquals(-1, index.add(v.get(3), null).duplicateOf());
        assertEquals(-1, index.add(v.get(0), v.get(1)).duplicateOf()); // a chat never matches a text example
    }

    @Test
    void tablesFollowTheThreshold() {
        assertEquals(22, new SemanticDuplicateIndex(0.92, 10).tables());
        assertEquals(46, new SemanticDuplicateIndex(0.85, 10).tables());
        assertEquals(64, new SemanticDuplicateIndex(0.5, 10).tables());
    }

}
