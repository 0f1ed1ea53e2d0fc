package dev.tailor.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.source.InputFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What ingest reads from an upload decides whether it is kept (a 202) or refused (a 422). */
class InspectionTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = InspectionTest.class.getResourceAsStream("/data/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Inspection inspect(String file, byte[] data) {
        return Inspection.of(file, null, new ByteArrayInputStream(data), CleaningConfig.defaults());
    }

    @Test
    void oneEmailOrMboxMessageWithoutItsReplyIsKeptAsAnIncompleteThread() throws IOException {
        Inspection eml = inspect("question.eml", resource("question.eml"));
        assertEquals(InputFormat.EMAIL, eml.format());
        assertEquals(0, eml.records());
        assertEquals(0, eml.rejected(), eml.problems().toString());
        assertEquals(1, eml.incompleteThreads());
        assertTrue(eml.usable(), "not refused with 422: its reply may come in a later upload");

        String mbox = new String(resource("ilug-threads.mbox"), StandardCharsets.ISO_8859_1);
        String first = mbox.substring(0, mbox.indexOf("\nFrom ", 1) + 1); // the first message of the mbox alone
        Inspection one = inspect("one.mbox", first.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(InputFormat.MBOX, one.format());
        assertTrue(one.usable());
        assertEquals(1, one.incompleteThreads());
    }

    @Test
    void aJsonDocumentIsReadAsOneNotAsLines() throws IOException {
        List<String> lines = Arrays.asList(new String(resource("support-faq-40.jsonl"), StandardCharsets.UTF_8).split("\n"));
        String array = "[\n  " + String.join(",\n  ", lines) + "\n]\n";
        Inspection doc = inspect("faq.json", array.getBytes(StandardCharsets.UTF_8));
        assertEquals(InputFormat.JSON, doc.format());
        assertEquals(40, doc.records(), doc.problems().toString());
        String tickets = "{\n \"tickets\": [\n" + String.join(",\n", lines.subList(0, 3)) + "\n ],\n \"count\": 3\n}";
        assertEquals(3, inspect("export.json", tickets.getBytes(StandardCharsets.UTF_8)).records());
    }

    @Test
    void crOnlyLineEndingsAndConcatenatedValuesCountEveryRecord() throws IOException {
        List<String> lines = Arrays.asList(new String(resource("support-faq-40.jsonl"), StandardCharsets.UTF_8).split("\n"));
        Inspection cr = inspect("faq.jsonl", (String.join("\r", lines.subList(0, 4)) + "\r").getBytes(StandardCharsets.UTF_8));
        assertEquals(4, cr.records(), cr.problems().toString());
        Inspection concatenated = inspect("faq.jsonl", (lines.get(0) + lines.get(1) + "\n" + lines.get(2) + " " + lines.get(3))
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(4, concatenated.records(), concatenated.problems().toString());
        assertFalse(inspect("empty.jsonl", "\n\n".getBytes(StandardCharsets.UTF_8)).usable());
    }
}
