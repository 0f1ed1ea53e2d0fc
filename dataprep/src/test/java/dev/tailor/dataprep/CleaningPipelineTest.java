package dev.tailor.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import dev.tailor.dataprep.source.InputFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole chain on real data; its static helpers are shared by the other tests of this library. */
public class CleaningPipelineTest {
    public static final ObjectMapper JSON = new ObjectMapper();

    public static List<String> realLines() throws IOException {
        try (InputStream in = CleaningPipelineTest.class.getResourceAsStream("/data/support-faq-40.jsonl")) {
            return new ArrayList<>(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        }
    }

    public static CleaningResult run(CleaningConfig cfg, Path out, String file, String content) {
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add(file, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null);
        return p.finish(Map.of("datasetId", "ds-test"));
    }

    public static List<JsonNode> readJsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void realDataWithDefectsIsCleanedSplitAndReported(@TempDir Path out) throws IOException {
        List<String> lines = realLines();
        lines.add(5, "");                                   // line 6: blank
        lines.add(10, "{\"messages\": [{\"role\": \"user\"");  // line 11: truncated JSON
        lines.add(lines.get(0));                            // exact duplicate of line 1
        lines.add("{\"prompt\": \"What is SQLite?\", \"completion\": \"\"}"); // empty answer
        CleaningResult r = run(CleaningConfig.defaults(), out, "support.jsonl", String.join("\n", lines) + "\n");

        assertEquals(44, r.read());
        assertEquals(r.read(), r.kept() + r.dropped());
        assertEquals(r.kept(), r.train() + r.validation() + r.test());
        assertTrue(r.train() > r.validation() && r.validation() > 0 && r.test() > 0, r.toString());

        JsonNode report = JSON.readTree(r.report().toFile());
        assertEquals("ds-test", report.get("datasetId").asText());
        JsonNode counts = report.get("counts");
        assertEquals(1, counts.get("dropped.empty-line").asLong());
        assertEquals(1, counts.get("dropped.malformed-json").asLong());
        assertEquals(1, counts.get("dropped.exact-duplicate").asLong());
        assertEquals(1, counts.get("dropped.empty-field").asLong());
        JsonNode malformed = find(report.get("dropped"), "malformed-json");
        assertEquals("support.jsonl", malformed.get("file").asText());
        assertEquals(11, malformed.get("line").asInt());
        assertTrue(malformed.get("reason").asText().contains("not valid JSON"));
        assertEquals(45 - 1, find(report.get("dropped"), "empty-field").get("line").asInt());

        long total = 0;
        for (Split s : Split.values()) {
            for (JsonNode ex : readJsonl(r.split(s))) {
                total++;
                JsonNode msgs = ex.get("messages");
                assertEquals("user", msgs.get(0).get("role").asText());
                assertEquals("assistant", msgs.get(msgs.size() - 1).get("role").asText());
                assertEquals("support.jsonl", ex.get("source").get("file").asText());
                assertTrue(ex.get("source").get("line").asInt() >= 1);
            }
        }
        assertEquals(r.kept(), total);
    }

    @Test
    void splitsAreDeterministicAndVersionIndependentOfOrder(@TempDir Path a, @TempDir Path b) throws IOException {
        List<String> lines = realLines();
        run(CleaningConfig.defaults(), a, "f.jsonl", String.join("\n", lines));
        List<String> reversed = new ArrayList<>(lines);
        java.util.Collections.reverse(reversed);
        run(CleaningConfig.defaults(), b, "f.jsonl", String.join("\n", reversed));
        for (Split s : Split.values()) {
            List<String> x = contents(a.resolve(s.fileName()));
            List<String> y = contents(b.resolve(s.fileName()));
            java.util.Collections.sort(x);
            java.util.Collections.sort(y);
            assertEquals(x, y, s + " differs when the input order changes");
        }
    }

    private static List<String> contents(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : readJsonl(p)) {
            out.add(n.get("messages").toString());
        }
        return out;
    }

    @Test
    void threeExamplesFillEverySplit(@TempDir Path out) {
        String in = """
                {"question": "How do I reset my password?", "answer": "Use the link on the login page."}
                {"input": "Where is my invoice?", "output": "Invoices are under Billing, Documents."}
                {"instruction": "Translate to French", "input": "Good morning", "output": "Bonjour"}
                """;
        CleaningResult r = run(CleaningConfig.defaults(), out, "tiny.jsonl", in);
        assertEquals(3, r.kept());
        assertEquals(1, r.train());
        assertEquals(1, r.validation());
        assertEquals(1, r.test());
    }

    @Test
    void commonFieldNamesAndSystemPrompt(@TempDir Path out) throws IOException {
        String in = """
                {"prompt": "Is the API rate limited?", "completion": "Yes, 100 requests per minute per key."}
                {"instruction": "Summarize the ticket", "input": "Printer on floor 2 jams daily.", "response": "Recurring printer jam, floor 2."}
                {"text": "SQLite is a C library that implements a small, fast SQL database engine."}
                {"conversations": [{"from": "human", "value": "Hi, can I change my plan?"}, {"from": "gpt", "value": "Yes, under Settings, Plan."}]}
                """;
        CleaningConfig cfg = CleaningConfig.fromJson("{\"systemPrompt\": \"You are ACME support.\", \"trainRatio\": 1, \"validationRatio\": 0, \"testRatio\": 0}");
        CleaningResult r = run(cfg, out, "mixed.jsonl", in);
        assertEquals(4, r.kept());
        List<JsonNode> train = readJsonl(r.split(Split.TRAIN));
        JsonNode instr = train.stream().filter(n -> n.toString().contains("Summarize")).findFirst().orElseThrow();
        assertEquals("system", instr.at("/messages/0/role").asText());
        assertEquals("You are ACME support.", instr.at("/messages/0/content").asText());
        assertEquals("Summarize the ticket\n\nPrinter on floor 2 jams daily.", instr.at("/messages/1/content").asText());
        assertEquals("Recurring printer jam, floor 2.", instr.at("/messages/2/content").asText());
        assertTrue(train.stream().anyMatch(n -> n.has("text") && n.get("text").asText().startsWith("SQLite is")));
    }

    @Test
    void linesCarryTheSourceKindAndTheRecordsMetadata(@TempDir Path out) throws IOException {
        String in = """
                {"question": "How do I reset the router?", "answer": "Hold the reset button for ten seconds.", "product": "R-200", "category": "network", "metadata": {"region": "EU"}}
                {"kind": "ticket", "prompt": "The printer on floor 2 jams every day.", "completion": "Replace the pickup roller; it is worn.", "priority": 2}
                {"text": "Firmware 5.2 fixes the Wi-Fi drop-outs of the R-200 and adds WPA3."}
                """;
        String md = "# FAQ\n\n## Can I undo a delete?\n\nYes, within 30 days from the Trash.\n";
        CleaningConfig cfg = CleaningConfig.fromJson("{\"trainRatio\": 1, \"validationRatio\": 0, \"testRatio\": 0}");
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add("support.jsonl", new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), null);
        p.add("faq.md", new ByteArrayInputStream(md.getBytes(StandardCharsets.UTF_8)), null);
        List<JsonNode> lines = readJsonl(p.finish(Map.of()).split(Split.TRAIN));
        JsonNode router = lines.stream().filter(n -> n.toString().contains("router")).findFirst().orElseThrow();
        assertEquals("R-200", router.at("/metadata/product").asText());
        assertEquals("network", router.at("/metadata/category").asText());
        assertEquals("EU", router.at("/metadata/region").asText());
        assertTrue(router.at("/source/kind").isMissingNode(), "a plain question/answer record names no kind");
        assertTrue(router.at("/metadata/question").isMissingNode(), "content fields are not metadata");
        JsonNode printer = lines.stream().filter(n -> n.toString().contains("printer")).findFirst().orElseThrow();
        assertEquals("ticket", printer.at("/source/kind").asText());
        assertEquals("2", printer.at("/metadata/priority").asText());
        assertTrue(printer.at("/metadata/kind").isMissingNode());
        JsonNode faq = lines.stream().filter(n -> n.toString().contains("Trash")).findFirst().orElseThrow();
        assertEquals("faq", faq.at("/source/kind").asText());
        assertEquals("faq.md", faq.at("/source/file").asText());
        JsonNode doc = lines.stream().filter(n -> n.has("text")).findFirst().orElseThrow();
        assertTrue(doc.path("metadata").isMissingNode(), doc.toString());
    }

    /**
     * The report counts test examples that near-duplicate a training example at a looser similarity than dedup
     * drops (evaluation shows it as a leakage warning): real questions asked twice with different answers.
     */
    @Test
    void theReportCountsTestExamplesNearDuplicatingTrainingOnes(@TempDir Path out) throws IOException {
        List<String> lines = realLines();
        CleaningResult r = run(CleaningConfig.fromJson("{\"trainRatio\": 0.5, \"validationRatio\": 0, \"testRatio\": 0.5}"),
                out, "faq.jsonl", String.join("\n", lines) + "\n");
        JsonNode leakage = JSON.readTree(r.report().toFile()).path("leakage");
        List<JsonNode> test = readJsonl(r.split(Split.TEST));
        assertEquals(test.size(), leakage.path("testExamples").asInt());
        assertEquals(0.5, leakage.path("threshold").asDouble());
        int leaked = leakage.path("nearDuplicates").asInt();
        assertTrue(leaked >= 0 && leaked <= test.size(), leakage.toString());
        // the same test and train texts again, with the questions of half the test split copied into train
        CleaningResult again = run(CleaningConfig.fromJson("{\"trainRatio\": 0.5, \"validationRatio\": 0, "
                + "\"testRatio\": 0.5, \"nearDuplicates\": true, \"nearDuplicateThreshold\": 0.99}"), out.resolve("b"),
                "faq.jsonl", String.join("\n", lines) + "\n" + String.join("\n", test.stream()
                        .map(n -> n.toString().replaceFirst("\\?\"", " please?\""))
                        .toList()) + "\n");
        assertTrue(JSON.readTree(again.report().toFile()).at("/leakage/nearDuplicates").asInt() > leaked,
                "near copies of test examples that land in train are leakage");
    }

    @Test
    void fieldMappingConfigMapsUnknownNames(@TempDir Path out) throws IOException {
        String in = "{\"ticket\": \"VPN drops every hour\", \"resolution\": \"Update the client to 5.2\"}\n";
        CleaningResult unmapped = run(CleaningConfig.defaults(), out.resolve("a"), "t.jsonl", in);
        assertEquals(0, unmapped.kept());
        JsonNode report = JSON.readTree(unmapped.report().toFile());
        assertTrue(find(report.get("dropped"), "unknown-fields").get("reason").asText().contains("fieldMapping"));
        CleaningConfig cfg = CleaningConfig.fromJson("{\"fieldMapping\": {\"prompt\": \"ticket\", \"completion\": \"resolution\"}}");
        assertEquals(1, run(cfg, out.resolve("b"), "t.jsonl", in).kept());
    }

    @Test
    void nearDuplicatesAreDropped(@TempDir Path out) throws IOException {
        String a = "{\"question\": \"How do I configure the mail server to reject messages larger than ten megabytes for all users?\", "
                + "\"answer\": \"Set message_size_limit to 10240000 in main.cf and reload postfix, then test with a large attachment.\"}";
        String b = a.replace("reload postfix", "reload Postfix,");
        String c = "{\"question\": \"Why does my cron job not run?\", \"answer\": \"Check that the crontab ends with a newline and the PATH is set.\"}";
        CleaningResult r = run(CleaningConfig.defaults(), out, "n.jsonl", a + "\n" + b + "\n" + c + "\n");
        assertEquals(2, r.kept());
        assertEquals(1, JSON.readTree(r.report().toFile()).get("counts").get("dropped.near-duplicate").asLong());
    }

    @Test
    void csvWithHeaderMapping(@TempDir Path out) throws IOException {
        String csv = "Question;Answer\n"
                + "\"How do I export data?\";\"Use File, Export, then pick CSV.\"\n"
                + "\"Can I undo a delete?\";\"Yes, within 30 days from the Trash.\n(Admins can restore any item.)\"\n"
                + "\"Broken row\"\n";
        CleaningConfig cfg = CleaningConfig.fromJson("{\"trainRatio\": 1, \"validationRatio\": 0, \"testRatio\": 0}");
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        assertEquals(InputFormat.CSV, p.add("faq.csv", new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "text/csv"));
        CleaningResult r = p.finish(Map.of());
        assertEquals(2, r.kept());
        JsonNode report = JSON.readTree(r.report().toFile());
        assertEquals(5, find(report.get("dropped"), "malformed-csv").get("line").asInt());
        assertTrue(readJsonl(r.split(Split.TRAIN)).stream().anyMatch(n -> n.at("/source/line").asInt() == 3));
    }

    @Test
    void markdownFaqBecomesQuestionAnswerPairsAndChunks(@TempDir Path out) throws IOException {
        String md = "# Frequently asked questions\n\n"
                + "## How do I create an AUTOINCREMENT field?\n\n"
                + "A column declared INTEGER PRIMARY KEY will autoincrement.\n\n"
                + "## What datatypes does SQLite support?\n\n"
                + "SQLite uses dynamic typing.\nContent can be stored as INTEGER, REAL, TEXT, BLOB, or as NULL.\n\n"
                + "# About\n\nSQLite is in the public domain.\n";
        CleaningConfig cfg = CleaningConfig.fromJson("{\"trainRatio\": 1, \"validationRatio\": 0, \"testRatio\": 0}");
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add("faq.md", new ByteArrayInputStream(md.getBytes(StandardCharsets.UTF_8)), null);
        CleaningResult r = p.finish(Map.of());
        List<JsonNode> ex = readJsonl(r.split(Split.TRAIN));
        assertEquals(3, ex.size(), ex.toString());
        JsonNode q = ex.stream().filter(n -> n.toString().contains("datatypes")).findFirst().orElseThrow();
        assertEquals("What datatypes does SQLite support?", q.at("/messages/0/content").asText());
        assertTrue(q.at("/messages/1/content").asText().startsWith("SQLite uses dynamic typing."));
        assertEquals(7, q.at("/source/line").asInt());
        assertTrue(ex.stream().anyMatch(n -> "SQLite is in the public domain.".equals(n.path("text").asText())));
    }

    @Test
    void invalidUtf8AndMojibakeAreRepaired(@TempDir Path out) throws IOException {
        byte[] latin1 = "{\"question\": \"Caf\u00e9 opening hours?\", \"answer\": \"We open at 8.\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] moji = "{\"question\": \"Is the caf\u00c3\u00a9 open on Sunday?\", \"answer\": \"Yes, from 10.\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[latin1.length + moji.length];
        System.arraycopy(latin1, 0, all, 0, latin1.length);
        System.arraycopy(moji, 0, all, latin1.length, moji.length);
        CleaningConfig cfg = CleaningConfig.fromJson("{\"trainRatio\": 1, \"validationRatio\": 0, \"testRatio\": 0}");
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add("enc.jsonl", new ByteArrayInputStream(all), null);
        CleaningResult r = p.finish(Map.of());
        String train = Files.readString(r.split(Split.TRAIN));
        assertTrue(train.contains("Caf\u00e9 opening hours?"), train);
        assertTrue(train.contains("Is the caf\u00e9 open on Sunday?"), train);
        JsonNode counts = JSON.readTree(r.report().toFile()).get("counts");
        assertEquals(1, counts.get("encoding-repaired").asLong());
        assertEquals(1, counts.get("mojibake-repaired").asLong());
    }

    @Test
    void incompleteRecordsAreDroppedFilledLookedUpOrFlagged(@TempDir Path out) throws IOException {
        Path catalog = out.resolve("catalog.csv");
        Files.writeString(catalog, "sku,name\nA-1,Tailor Pro\nB-2,Tailor Lite\n");
        String in = """
                {"question": "Does it support SSO?", "answer": "Yes, SAML and OIDC.", "sku": "A-1", "product": "", "team": "sales"}
                {"question": "Is there a free tier?", "answer": "Yes, up to 3 users.", "sku": "B-2", "team": "sales"}
                {"question": "Can I export data?", "answer": "Yes, as CSV.", "sku": "Z-9", "team": "support"}
                {"question": "Where are invoices?", "answer": "Under Billing.", "sku": "A-1", "product": "Tailor Pro"}
                {"question": "Who can see my data?", "answer": "Only your admins.", "sku": "A-1", "product": "Tailor Pro", "team": "x", "channel": ""}
                """;
        CleaningConfig cfg = CleaningConfig.fromJson("""
                {"trainRatio": 1, "validationRatio": 0, "testRatio": 0,
                 "fieldMapping": {"prompt": "question", "completion": "answer"},
                 "fields": {"product": {"action": "lookup", "table": "catalog.csv", "key": "sku", "column": "name"},
                            "team": {"action": "drop"},
                            "channel": {"action": "flag"}}}
                """);
        CleaningPipeline p = new CleaningPipeline(cfg, out.resolve("o"), name -> {
            try {
                return Files.newInputStream(out.resolve(name));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        p.add("tickets.jsonl", new ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), null);
        CleaningResult r = p.finish(Map.of());
        assertEquals(3, r.kept());
        JsonNode report = JSON.readTree(r.report().toFile());
        JsonNode counts = report.get("counts");
        assertEquals(3, counts.get("incomplete.lookup.product").asLong());
        assertEquals(1, counts.get("incomplete.drop.team").asLong());
        assertEquals(5, counts.get("incomplete.flag.channel").asLong()); // policies run in field-name order: channel first
        JsonNode miss = find(report.get("dropped"), "incomplete-record");
        assertEquals(3, miss.get("line").asInt());
        assertTrue(miss.get("reason").asText().contains("Z-9"), miss.toString());
        List<JsonNode> train = readJsonl(r.split(Split.TRAIN));
        assertTrue(train.stream().allMatch(n -> n.get("flags").toString().contains("missing:channel")), train.toString());
    }

    public static JsonNode find(JsonNode dropped, String rule) {
        for (JsonNode d : dropped) {
            if (rule.equals(d.get("rule").asText())) {
                return d;
            }
        }
        throw new AssertionError("no dropped record with rule " + rule + " in " + dropped);
    }
}
