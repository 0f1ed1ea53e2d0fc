package dev.tailor.dataprep.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version of the repository's example support FAQ ({@code examples/support-faq.jsonl}, 260 Q/A pairs, some with
 * e-mail addresses) re-cleaned without PII redaction and with a higher minimum answer length: the diff's counts are
 * those of the two versions' split files, compared here line by line.
 */
class VersionDiffTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FAQ = Path.of("../examples/support-faq.jsonl");

    @Test
    void recleanedVersionDiffMatchesTheSplitFiles(@TempDir Path dir) throws IOException {
        CleaningConfig first = CleaningConfig.defaults();
        CleaningConfig second = CleaningConfig.fromJson("{\"pii\": {\"redactPii\": false}, \"quality\": {\"minChars\": 200}}");
        clean(first, dir.resolve("v1"), null);
        clean(second, dir.resolve("v2"), dir.resolve("v1"));

        Map<String, Object> diff = new VersionDiff(5).compare("v1", files(dir.resolve("v1")), "v2", files(dir.resolve("v2")));
        JsonNode d = JSON.valueToTree(diff);
        System.out.println("support-faq re-cleaned (redactPii false, minChars 200): overall " + d.get("overall")
                + ", drops " + d.get("drops") + ", settings " + d.get("settings"));

        // the same numbers from the split files themselves
        Map<String, String[]> before = examples(dir.resolve("v1"));
        Map<String, String[]> after = examples(dir.resolve("v2"));
        long added = 0;
        long changed = 0;
        long unchanged = 0;
        Map<String, long[]> perSplit = new HashMap<>(); // added, changed, unchanged by the split in v2
        for (Map.Entry<String, String[]> e : after.entrySet()) {
            String[] old = before.get(e.getKey());
            int kind = old == null ? 0 : old[1].equals(e.getValue()[1]) ? 2 : 1;
            perSplit.computeIfAbsent(e.getValue()[0], k -> new long[3])[kind]++;
            added += kind == 0 ? 1 : 0;
            changed += kind == 1 ? 1 : 0;
            unchanged += kind == 2 ? 1 : 0;
        }
        long removed = before.keySet().stream().filter(k -> !after.containsKey(k)).count();
        JsonNode overall = d.get("overall");
        assertEquals(before.size(), overall.get("before").asLong());
        assertEquals(after.size(), overall.get("after").asLong());
        assertEquals(added, overall.get("added").asLong());
        assertEquals(removed, overall.get("removed").asLong());
        assertEquals(changed, overall.get("changed").asLong());
        assertEquals(unchanged, overall.get("unchanged").asLong());
        assertTrue(changed > 0, "redaction off changes the examples that had personal data: " + overall);
        assertTrue(removed > 0, "minChars 200 removes the short answers: " + overall);
        for (Split s : Split.values()) {
            JsonNode c = d.get("splits").get(s.id());
            long[] exp = perSplit.getOrDefault(s.id(), new long[3]);
            assertEquals(exp[0], c.get("added").asLong(), s.id());
            assertEquals(exp[1], c.get("changed").asLong(), s.id());
            assertEquals(exp[2], c.get("unchanged").asLong(), s.id());
            assertEquals(c.get("after").asLong(), c.get("added").asLong() + c.get("changed").asLong()
                    + c.get("unchanged").asLong(), s.id());
            assertEquals(Files.readAllLines(dir.resolve("v2").resolve(s.fileName())).size(), c.get("after").asLong());
        }
        // splits carry over from the version re-cleaned: only an example whose content changed (no longer equal
        // nor near-equal to its old form) may land in another split
        assertTrue(overall.get("movedSplit").asLong() <= changed, overall.toString());

        JsonNode tooShort = d.get("drops").get("too-short");
        assertTrue(tooShort.get("after").asLong() > tooShort.get("before").asLong(), d.get("drops").toString());
        assertEquals(removed, d.get("drops").get("total").get("after").asLong() - d.get("drops").get("total").get("before").asLong()
                + countAdded(d), "the same records read: removed = more drops + added");
        assertEquals(true, d.get("settings").get("pii.redactPii").get("before").asBoolean());
        assertEquals(false, d.get("settings").get("pii.redactPii").get("after").asBoolean());
        assertEquals(200, d.get("settings").get("quality.minChars").get("after").asInt());
        assertEquals(2, d.get("settings").size(), d.get("settings").toString());

        JsonNode samples = d.get("samples");
        assertEquals(5, samples.get("removed").size());
        for (JsonNode r : samples.get("removed")) {
            assertEquals("too-short", r.get("droppedBy").asText(), r.toString());
            assertFalse(after.containsKey(r.get("source").asText()));
        }
        for (JsonNode c : samples.get("changed")) {
            assertFalse(c.get("before").asText().equals(c.get("after").asText()), "the sample shows the change: " + c);
        }
        assertTrue(samples.get("changed").size() > 0);
    }

    @Test
    void aVersionAgainstItselfIsUnchanged(@TempDir Path dir) throws IOException {
        clean(CleaningConfig.defaults(), dir.resolve("v1"), null);
        JsonNode d = JSON.valueToTree(new VersionDiff(3).compare("v1", files(dir.resolve("v1")), "v1", files(dir.resolve("v1"))));
        JsonNode o = d.get("overall");
        assertEquals(o.get("before").asLong(), o.get("unchanged").asLong());
        assertEquals(0, o.get("added").asLong() + o.get("removed").asLong() + o.get("changed").asLong());
        assertEquals(0, d.get("drops").size());
        assertEquals(0, d.get("settings").size());
        assertNull(d.get("samples").get("added").get(0));
    }

    /**
     * E-mail (the repository's ILUG mailing-list threads, matched by message id) re-cleaned with sign-offs kept and no
     * redaction, and a document (a Word file of Through the Looking-Glass, in chunks) with smaller chunks: the counts
     * add up to the split files of both versions.
     */
    @Test
    void emailAndDocumentVersionsAddUp(@TempDir Path dir) throws IOException {
        for (String[] c : new String[][] {{"ilug-threads.mbox", "{\"removeSignOffs\": false, \"redactPii\": false}"},
                {"documents/carroll-lookingglass.docx", "{\"textChunkChars\": 400}"}}) {
            Path data = Path.of("src/test/resources/data").resolve(c[0]);
            Path v1 = dir.resolve(data.getFileName() + "-1");
            Path v2 = dir.resolve(data.getFileName() + "-2");
            cleanFile(CleaningConfig.defaults(), data, v1, null);
            cleanFile(CleaningConfig.fromJson(c[1]), data, v2, v1);
            JsonNode o = JSON.valueToTree(new VersionDiff(3).compare("v1", files(v1), "v2", files(v2))).get("overall");
            System.out.println(c[0] + " re-cleaned with " + c[1] + ": " + o);
            assertEquals(lines(v1), o.get("before").asLong(), c[0]);
            assertEquals(lines(v2), o.get("after").asLong(), c[0]);
            assertEquals(o.get("before").asLong(), o.get("removed").asLong() + o.get("changed").asLong()
                    + o.get("unchanged").asLong(), c[0] + ": " + o);
            assertEquals(o.get("after").asLong(), o.get("added").asLong() + o.get("changed").asLong()
                    + o.get("unchanged").asLong(), c[0] + ": " + o);
            assertTrue(o.get("changed").asLong() + o.get("added").asLong() > 0, c[0] + ": the settings changed something");
        }
    }

    private static long lines(Path dir) throws IOException {
        long n = 0;
        for (Split s : Split.values()) {
            n += Files.readAllLines(dir.resolve(s.fileName())).size();
        }
        return n;
    }

    private static void cleanFile(CleaningConfig config, Path data, Path out, Path previous) throws IOException {
        try (CleaningPipeline p = new CleaningPipeline(config, out); InputStream in = Files.newInputStream(data)) {
            if (previous != null) {
                p.previousVersion("v1", JSON.readTree(previous.resolve(CleaningReport.FILE).toFile()).get("counts"));
                for (Split s : Split.values()) {
                    try (InputStream split = Files.newInputStream(previous.resolve(s.fileName()))) {
                        p.previousSplit(s, split);
                    }
                }
            }
            p.add(data.getFileName().toString(), in, null);
            p.finish(Map.of());
        }
    }

    /** Examples the new settings let in. */
    private static long countAdded(JsonNode d) {
        return d.get("overall").get("added").asLong();
    }

    private static void clean(CleaningConfig config, Path out, Path previous) throws IOException {
        try (CleaningPipeline p = new CleaningPipeline(config, out); InputStream in = Files.newInputStream(FAQ)) {
            if (previous != null) {
                p.previousVersion(previous.getFileName().toString(),
                        JSON.readTree(previous.resolve(CleaningReport.FILE).toFile()).get("counts"));
                for (Split s : Split.values()) {
                    try (InputStream split = Files.newInputStream(previous.resolve(s.fileName()))) {
                        p.previousSplit(s, split);
                    }
                }
            }
            p.add("support-faq.jsonl", in, null);
            p.finish(Map.of());
        }
    }

    private static VersionDiff.Files files(Path dir) {
        return new VersionDiff.Files() {
            @Override
            public InputStream split(Split s) throws IOException {
                return Files.newInputStream(dir.resolve(s.fileName()));
            }

            @Override
            public InputStream report() throws IOException {
                return Files.newInputStream(dir.resolve(CleaningReport.FILE));
            }
        };
    }

    /** Source (file:line) → {split, messages JSON} of a version's split files; every source makes one example. */
    private static Map<String, String[]> examples(Path dir) throws IOException {
        Map<String, String[]> m = new HashMap<>();
        for (Split s : Split.values()) {
            for (String line : Files.readAllLines(dir.resolve(s.fileName()))) {
                JsonNode n = JSON.readTree(line);
                String key = n.get("source").get("file").asText() + ":" + n.get("source").get("line").asLong();
                String[] previous = m.put(key, new String[] {s.id(), n.get("messages").toString()});
                assertNull(previous, "one example per source: " + key);
            }
        }
        return m;
    }
}
