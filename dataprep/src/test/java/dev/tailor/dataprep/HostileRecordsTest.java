package dev.tailor.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningReport;
import dev.tailor.dataprep.output.CleaningResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crafted records that used to fail a whole dataset or hang it: an address with thousands of domain labels drove the
 * e-mail pattern of PII redaction into a StackOverflowError; long runs of reStructuredText roles, unclosed
 * AsciiDoc labels and unclosed script tags made the markup patterns backtrack quadratically (minutes per record);
 * deeply nested JSON. Each is now one record among real ones: cleaned or rejected with its line, never fatal, and
 * the regex fixes keep them away from the catch-all {@code rule-error}.
 */
class HostileRecordsTest {
    private static final int RUN = 200_000;

    @Test
    void craftedRecordsAreRecordsNotFailures(@TempDir Path out) throws Exception {
        Map<String, String> crafted = new LinkedHashMap<>();
        crafted.put("email-labels", "write to a@b" + ".c".repeat(RUN / 2) + " please");
        crafted.put("rst-roles", ":ab".repeat(RUN / 3));
        crafted.put("adoc-labels", "link:[".repeat(RUN / 6));
        crafted.put("unclosed-scripts", "<script>".repeat(RUN / 8));
        crafted.put("unclosed-script-tags", "<script ".repeat(RUN / 8));
        crafted.put("long-word", "a".repeat(RUN));
        List<String> lines = new ArrayList<>(CleaningPipelineTest.realLines().subList(0, 10));
        for (String value : crafted.values()) {
            lines.add(CleaningPipelineTest.JSON.createObjectNode().put("question", "How do I read this? " + value)
                    .put("answer", "Like this: " + value).toString());
        }
        lines.add("[".repeat(100_000) + "]".repeat(100_000)); // nesting far past the parser's depth limit
        lines.add("{\"text\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_001));

        CleaningResult r = assertTimeoutPreemptively(Duration.ofSeconds(120), () ->
                CleaningPipelineTest.run(CleaningConfig.defaults(), out, "hostile.jsonl", String.join("\n", lines) + "\n"));

        assertEquals(lines.size(), r.read(), "every line is accounted for");
        assertEquals(r.read(), r.kept() + r.dropped());
        assertTrue(r.kept() >= 10, "the real records are kept: " + r);
        JsonNode report = CleaningPipelineTest.JSON.readTree(out.resolve(CleaningReport.FILE).toFile());
        assertEquals(0, report.path("counts").path("dropped." + CleaningPipeline.RULE_ERROR).asLong(),
                "no rule throws on a crafted record: " + report.path("counts"));
        assertEquals(0, report.path("counts").path("dropped.parse-error").asLong(), report.path("counts").toString());
        for (JsonNode d : report.path("dropped")) {
            assertEquals("hostile.jsonl", d.path("file").asText());
            assertTrue(d.path("line").asLong() > 10, d.toString());
        }
        assertEquals(2, report.path("counts").path("dropped.malformed-json").asLong(), "the deep nestings are malformed JSON: "
                + report.path("counts"));
    }

    @Test
    /** 20,000 nested multiparts took 53 s to parse (the MIME parser copies the rest of the message at each level). */
    void aDeeplyNestedMessageIsOneRejectedMessageAndTheMboxGoesOn(@TempDir Path out) throws Exception {
        int depth = 20_000;
        StringBuilder nested = new StringBuilder("From: a@example.org\nSubject: nested\nMessage-ID: <nested@example.org>\n"
                + "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0\"\n\n");
        for (int i = 0; i < depth; i++) {
            nested.append("--b").append(i).append("\nContent-Type: multipart/mixed; boundary=\"b").append(i + 1).append("\"\n\n");
        }
        nested.append("--b").append(depth).append("\nContent-Type: text/plain\n\ndeep down\n");
        String thread = new String(FormatsTest.resource("spambayes-thread/01709.eml"), java.nio.charset.StandardCharsets.ISO_8859_1)
                + "\nFrom x Sat Sep  7 22:47:23 2002\n"
                + new String(FormatsTest.resource("spambayes-thread/01711.eml"), java.nio.charset.StandardCharsets.ISO_8859_1);
        String mbox = "From a Sat Sep  7 00:00:00 2002\n" + nested + "\nFrom b Sat Sep  7 18:11:19 2002\n" + thread;
        CleaningResult r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            CleaningPipeline p = new CleaningPipeline(FormatsTest.ALL_TRAIN, out);
            p.add("list.mbox", new java.io.ByteArrayInputStream(mbox.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), null);
            return p.finish(Map.of());
        }, "a crafted message takes seconds, not minutes");
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertEquals(1, r.kept(), "the question and its reply after the nested message: " + report.path("counts"));
        JsonNode bad = CleaningPipelineTest.find(report.get("dropped"), "malformed-email");
        assertEquals(1, bad.path("line").asLong(), bad.toString());
    }

    @Test
    void aRuleThatThrowsOnOneRecordRejectsThatRecordOnly(@TempDir Path out) throws Exception {
        // an operator's own PII pattern that recurses once per character: a stack overflow on a long enough record
        CleaningConfig cfg = CleaningConfig.fromJson("{\"piiPatterns\": {\"ticket\": \"(?:a|b)+c\"}}");
        List<String> lines = new ArrayList<>(CleaningPipelineTest.realLines().subList(0, 10));
        String run = "ab".repeat(100_000);
        lines.add(4, CleaningPipelineTest.JSON.createObjectNode().put("question", "What is " + run + "?")
                .put("answer", "A long run of letters.").toString());
        CleaningResult r = CleaningPipelineTest.run(cfg, out, "faq.jsonl", String.join("\n", lines) + "\n");
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertEquals(11, r.read());
        assertEquals(10, r.kept(), report.path("counts").toString());
        JsonNode bad = CleaningPipelineTest.find(report.get("dropped"), CleaningPipeline.RULE_ERROR);
        assertEquals(5, bad.get("line").asLong());
        assertTrue(bad.get("reason").asText().contains("StackOverflowError"), bad.toString());
    }

    /** Issue 16: a user's catastrophic PII pattern runs against a deadline and rejects the record, not the dataset. */
    @Test
    void aCatastrophicUserPatternRejectsTheRecordWithinItsTimeBound(@TempDir Path out) throws Exception {
        CleaningConfig cfg = CleaningConfig.fromJson("{\"piiPatterns\": {\"evil\": \"((a+)+)+b\"}}");
        List<String> lines = new ArrayList<>(CleaningPipelineTest.realLines().subList(0, 10));
        lines.add(2, CleaningPipelineTest.JSON.createObjectNode().put("question", "What is " + "a".repeat(40) + "?")
                .put("answer", "Forty letters a, and no b.").toString());
        CleaningResult r = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> CleaningPipelineTest.run(cfg, out, "faq.jsonl", String.join("\n", lines) + "\n"));
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertEquals(11, r.read());
        assertEquals(10, r.kept(), report.path("counts").toString());
        JsonNode bad = CleaningPipelineTest.find(report.get("dropped"), "pii-pattern-timeout");
        assertEquals(3, bad.get("line").asLong());
        assertTrue(bad.get("reason").asText().contains("EVIL"), bad.toString());
    }
}
