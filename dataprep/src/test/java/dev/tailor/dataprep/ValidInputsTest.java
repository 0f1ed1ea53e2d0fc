package dev.tailor.dataprep;

import static dev.tailor.dataprep.FormatsTest.ALL_TRAIN;
import static dev.tailor.dataprep.FormatsTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.email.EmailThreads;
import dev.tailor.dataprep.source.InputFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid inputs accepted: JSON documents (arrays, objects holding the records), one e-mail without its reply. */
class ValidInputsTest {
    private static JsonNode report(Path out) throws IOException {
        return CleaningPipelineTest.JSON.readTree(out.resolve("report.json").toFile());
    }

    private static InputFormat add(Path out, String file, byte[] data, List<JsonNode> kept) throws IOException {
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out);
        InputFormat f = p.add(file, new ByteArrayInputStream(data), null);
        kept.addAll(CleaningPipelineTest.readJsonl(p.finish(Map.of()).split(dev.tailor.dataprep.output.Split.TRAIN)));
        return f;
    }

    @Test
    void aPrettyPrintedArrayOfRecordsIsOneJsonDocument(@TempDir Path out) throws IOException {
        ArrayNode array = CleaningPipelineTest.JSON.createArrayNode();
        for (String l : CleaningPipelineTest.realLines().subList(0, 5)) {
            array.add(CleaningPipelineTest.JSON.readTree(l));
        }
        byte[] doc = CleaningPipelineTest.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(array);
        List<JsonNode> kept = new java.util.ArrayList<>();
        assertEquals(InputFormat.JSON, add(out, "faq.json", doc, kept));
        assertEquals(5, kept.size(), report(out).get("counts").toString());
        assertEquals(5, kept.stream().mapToLong(e -> e.at("/source/line").asLong()).distinct().count(), "a record's line is where it starts");
        assertEquals(1, kept.stream().mapToLong(e -> e.at("/source/line").asLong()).min().orElse(0), "'[ {' opens the first");
    }

    @Test
    void aTicketExportObjectHoldingTheTicketsIsReadTicketByTicket(@TempDir Path out) throws IOException {
        ObjectNode export = CleaningPipelineTest.JSON.createObjectNode();
        export.put("exported", "2024-05-01");
        ArrayNode tickets = export.putArray("tickets");
        for (String l : new String(resource("tickets.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            tickets.add(CleaningPipelineTest.JSON.readTree(l));
        }
        export.put("count", tickets.size());
        byte[] doc = CleaningPipelineTest.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(export);
        List<JsonNode> kept = new java.util.ArrayList<>();
        assertEquals(InputFormat.JSON, add(out, "export.json", doc, kept));
        assertEquals(2, kept.size(), report(out).get("counts").toString());
        assertTrue(kept.stream().allMatch(e -> e.at("/source/kind").asText().equals("ticket")), kept.toString());
        assertEquals(0, report(out).path("counts").path("dropped").asLong(), report(out).toString());
    }

    @Test
    void oneRecordPrettyPrintedOrABrokenDocumentKeepsWhatItCan(@TempDir Path dir) throws IOException {
        String one = "{\n  \"question\": \"How do I reset my password?\",\n  \"answer\": \"Use the link on the sign-in page.\"\n}\n";
        List<JsonNode> kept = new java.util.ArrayList<>();
        assertEquals(InputFormat.JSON, add(Files.createDirectory(dir.resolve("one")), "one.json", one.getBytes(StandardCharsets.UTF_8), kept));
        assertEquals(1, kept.size());
        String broken = "[\n" + CleaningPipelineTest.realLines().get(0) + ",\n" + CleaningPipelineTest.realLines().get(1) + ",\n{\"question\": oops}\n]";
        Path out = Files.createDirectory(dir.resolve("broken"));
        kept.clear();
        add(out, "broken.json", broken.getBytes(StandardCharsets.UTF_8), kept);
        assertEquals(2, kept.size());
        JsonNode bad = CleaningPipelineTest.find(report(out).get("dropped"), "malformed-json");
        assertEquals(4, bad.get("line").asLong(), bad.toString());
        assertEquals(InputFormat.JSONL, InputFormat.detect("faq.json", null, resource("support-faq-40.jsonl"), 8192),
                "JSON Lines named .json stay JSON Lines");
        byte[] truncated = "{\"messages\": [{\"role\": \"user\"\n{\"a\": 1}\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(InputFormat.JSONL, InputFormat.detect("broken.jsonl", null, truncated, truncated.length),
                "a truncated first line followed by the next record is broken JSON Lines");
    }

    @Test
    void oneEmailWithoutItsReplyIsAnIncompleteThreadNotAnError(@TempDir Path out) throws IOException {
        List<JsonNode> kept = new java.util.ArrayList<>();
        assertEquals(InputFormat.EMAIL, add(out, "01709.eml", resource("spambayes-thread/01709.eml"), kept));
        JsonNode r = report(out);
        assertEquals(0, kept.size());
        assertEquals(0, r.path("counts").path("dropped").asLong(), r.toString());
        assertEquals(1, r.path("counts").path(EmailThreads.INCOMPLETE).asLong(), r.path("counts").toString());
        assertEquals("01709.eml", r.at("/samples/" + EmailThreads.INCOMPLETE + "/0/file").asText());
    }

    /** Issue 16: a mailbox with old-Mac CR-only line endings splits into the same messages and examples as with LF. */
    @Test
    void anMboxWithCrOnlyLineEndingsGivesTheSameExamplesAsWithLf(@TempDir Path dir) throws IOException {
        StringBuilder mbox = new StringBuilder();
        for (String name : List.of("01709.eml", "01711.eml", "01730.eml", "01733.eml", "01735.eml")) {
            String text = new String(resource("spambayes-thread/" + name), StandardCharsets.ISO_8859_1)
                    .replace("\r\n", "\n");
            mbox.append("From sender@example.org Mon Jan  1 00:00:00 2024\n").append(text);
            if (!text.endsWith("\n")) {
                mbox.append('\n');
            }
            mbox.append('\n');
        }
        String lf = mbox.toString();
        List<JsonNode> withLf = new java.util.ArrayList<>();
        List<JsonNode> withCr = new java.util.ArrayList<>();
        add(Files.createDirectory(dir.resolve("lf")), "thread.mbox", lf.getBytes(StandardCharsets.ISO_8859_1), withLf);
        add(Files.createDirectory(dir.resolve("cr")), "thread.mbox", lf.replace('\n', '\r')
                .getBytes(StandardCharsets.ISO_8859_1), withCr);
        assertTrue(withLf.size() > 0, "the thread gives examples");
        assertEquals(withLf.size(), withCr.size(), report(dir.resolve("cr")).path("counts").toString());
        assertEquals(withLf.stream().map(e -> e.get("messages").toString()).toList(),
                withCr.stream().map(e -> e.get("messages").toString()).toList());
    }
}
