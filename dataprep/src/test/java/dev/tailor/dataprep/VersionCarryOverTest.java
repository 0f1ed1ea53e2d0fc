package dev.tailor.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.dedup.LongHashSet;
import dev.tailor.dataprep.dedup.NearDuplicateIndex;
import dev.tailor.dataprep.output.CleaningReport;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second version of a dataset against its first: equal and near-duplicate examples keep their split,
 * and report.json diffs the two. Real data: the SQLite FAQ / SpamAssassin Q/A extract.
 */
class VersionCarryOverTest {
    private static final CleaningConfig V1 = CleaningConfig.fromJson(
            "{\"trainRatio\": 0.5, \"validationRatio\": 0.25, \"testRatio\": 0.25, \"redactPii\": false}");
    private static final CleaningConfig V2 = CleaningConfig.fromJson(
            "{\"trainRatio\": 0.8, \"validationRatio\": 0.1, \"testRatio\": 0.1, \"redactPii\": false}");

    @Test
    void equalAndNearDuplicateExamplesKeepTheirSplitAcrossVersions(@TempDir Path dir) throws IOException {
        List<String> lines = CleaningPipelineTest.realLines();
        List<String> first = lines.subList(0, 30);
        CleaningResult v1 = run(V1, dir.resolve("v1"), first, null);
        Map<String, Split> splitOfV1 = splitsByUserText(dir.resolve("v1"));
        List<String> testOfV1 = splitOfV1.entrySet().stream().filter(e -> e.getValue() == Split.TEST).map(Map.Entry::getKey).toList();
        assertTrue(testOfV1.size() >= 3, "v1 has test examples: " + v1);

        // v2: the next export. Lines 31..40 are new; three v1 test records were edited a little (an answer
        // re-worded at the end), the rest are unchanged.
        List<String> second = new ArrayList<>();
        java.util.Set<String> raw = new java.util.HashSet<>();
        for (String line : lines) {
            raw.add(userText(CleaningPipelineTest.JSON.readTree(line)));
        }
        // three test examples that cleaning left as they were at the start (quotes removed from a reply change it)
        List<String> edited = testOfV1.stream().filter(raw::contains)
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).limit(3).toList();
        assertEquals(3, edited.size(), testOfV1.toString());
        for (String line : lines) {
            JsonNode n = CleaningPipelineTest.JSON.readTree(line);
            if (edited.contains(userText(n))) {
                ObjectNode answer = (ObjectNode) n.get("messages").get(n.get("messages").size() - 1);
                answer.put("content", answer.get("content").asText().strip() + "\n\nHope this helps.");
                second.add(n.toString());
            } else {
                second.add(line);
            }
        }
        CleaningResult v2 = run(V2, dir.resolve("v2"), second, dir.resolve("v1"));
        Map<String, Split> splitOfV2 = splitsByUserText(dir.resolve("v2"));

        for (Map.Entry<String, Split> e : splitOfV1.entrySet()) {
            assertEquals(e.getValue(), splitOfV2.get(e.getKey()), "v1 example keeps its split in v2: " + e.getKey());
        }
        JsonNode report = CleaningPipelineTest.JSON.readTree(v2.report().toFile());
        JsonNode counts = report.get("counts");
        assertEquals(3, counts.path("version.near-duplicate").asLong(), counts.toString());
        assertTrue(counts.path("version.split-carried-over").asLong() > 0, "the new ratios would have moved some: " + counts);
        JsonNode diff = report.get("diff");
        assertEquals(dir.resolve("v1").toString(), diff.get("previousVersion").asText());
        assertEquals(v1.kept() - 3, diff.get("examplesUnchanged").asLong(), diff.toString());
        assertEquals(3, diff.get("examplesRemoved").asLong(), "the three edited records replace their old form");
        assertEquals(v2.kept() - v1.kept() + 3, diff.get("examplesAdded").asLong());
        assertEquals(3, diff.get("nearDuplicatesOfPrevious").asLong());
        assertTrue(report.get("samples").get("version.near-duplicate").get(0).get("reason").asText()
                .contains("in test.jsonl of version"), report.get("samples").toString());

        // without carry-over the split is by content hash under the new ratios, as for a first version
        CleaningResult plain = run(V2, dir.resolve("plain"), second, null);
        CleaningConfig noCarry = CleaningConfig.merge(V2, CleaningPipelineTest.JSON.readTree("{\"carryOverSplits\": false}"));
        CleaningResult uncarried = run(noCarry, dir.resolve("uncarried"), second, dir.resolve("v1"));
        assertEquals(splitsByUserText(dir.resolve("plain")), splitsByUserText(dir.resolve("uncarried")));
        assertNotEquals(splitsByUserText(dir.resolve("plain")), splitOfV2, "carry-over changed some splits");
        JsonNode uncounts = CleaningPipelineTest.JSON.readTree(uncarried.report().toFile()).get("counts");
        assertEquals(0, uncounts.path("version.split-carried-over").asLong());
        assertEquals(3, uncounts.path("version.near-duplicate").asLong());
        assertEquals(plain.kept(), uncarried.kept());
    }

    @Test
    void indexesGrowPastTheirFirstTableAndKeepTags() {
        try (LongHashSet set = new LongHashSet(); NearDuplicateIndex near = new NearDuplicateIndex(0.85)) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(1);
            long[] hashes = new long[20_000];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = r.nextLong();
                assertTrue(set.add(hashes[i], i % 3));
            }
            for (int i = 0; i < hashes.length; i++) {
                assertEquals(i % 3, set.tagOf(hashes[i]));
                assertTrue(!set.add(hashes[i], 0));
            }
            assertEquals(-1, set.tagOf(12345L << 2));
            assertEquals(hashes.length, set.size());

            for (int i = 0; i < 6_000; i++) {
                assertTrue(near.put(NearDuplicateIndex.signature("record number " + i + " of the catalog, item " + (i * 7919)), i % 3));
            }
            NearDuplicateIndex.Match m = near.find(NearDuplicateIndex.signature("record number 5000 of the catalog, item " + (5000 * 7919)));
            assertEquals(5000, m.duplicateOf());
            assertEquals(5000 % 3, m.tag());
            assertEquals(1.0, m.similarity(), 1e-9);
        }
    }

    private static CleaningResult run(CleaningConfig cfg, Path out, List<String> lines, Path previous) throws IOException {
        try (CleaningPipeline p = new CleaningPipeline(cfg, out)) {
            if (previous != null) {
                JsonNode counts = CleaningPipelineTest.JSON.readTree(previous.resolve(CleaningReport.FILE).toFile()).get("counts");
                p.previousVersion(previous.toString(), counts);
                for (Split s : Split.values()) {
                    try (InputStream in = Files.newInputStream(previous.resolve(s.fileName()))) {
                        p.previousSplit(s, in);
                    }
                }
            }
            p.add("faq.jsonl", new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)), null);
            return p.finish(Map.of());
        }
    }

    private static Map<String, Split> splitsByUserText(Path dir) throws IOException {
        Map<String, Split> m = new HashMap<>();
        for (Split s : Split.values()) {
            for (JsonNode n : CleaningPipelineTest.readJsonl(dir.resolve(s.fileName()))) {
                m.put(userText(n), s);
            }
        }
        return m;
    }

    /** The start of the question's and the answer's letters and digits: the same before and after normalization. */
    private static String userText(JsonNode n) {
        JsonNode m = n.get("messages");
        return letters(m.get(0)) + "|" + letters(m.get(m.size() - 1));
    }

    private static String letters(JsonNode message) {
        String letters = message.get("content").asText().replaceAll("[^A-Za-z0-9]", "");
        return letters.substring(0, Math.min(80, letters.length()));
    }
}
