package dev.tailor.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningReport;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing changes silently: line breaks, several JSON values on a line, invalid bytes, non-string content. */
class InputFidelityTest {
    private static JsonNode clean(Path out, String file, byte[] content) throws IOException {
        CleaningPipeline p = new CleaningPipeline(CleaningConfig.defaults(), out);
        p.add(file, new ByteArrayInputStream(content), null);
        p.finish(Map.of());
        return CleaningPipelineTest.JSON.readTree(out.resolve(CleaningReport.FILE).toFile());
    }

    private static String allSplits(Path out) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("train.jsonl", "validation.jsonl", "test.jsonl")) {
            if (Files.exists(out.resolve(f))) {
                sb.append(Files.readString(out.resolve(f)));
            }
        }
        return sb.toString();
    }

    @Test
    void everyLineBreakConventionEndsARecord(@TempDir Path dir) throws IOException {
        List<String> lines = CleaningPipelineTest.realLines().subList(0, 4);
        for (String eol : List.of("\n", "\r\n", "\r")) {
            Path out = Files.createDirectory(dir.resolve("eol" + eol.length() + eol.charAt(0)));
            JsonNode r = clean(out, "faq.jsonl", (String.join(eol, lines) + eol).getBytes(StandardCharsets.UTF_8));
            assertEquals(4, r.path("records").asLong(), "records with " + eol.replace("\r", "CR").replace("\n", "LF"));
            assertEquals(4, r.path("kept").asLong(), r.path("counts").toString());
        }
        Path mixed = Files.createDirectory(dir.resolve("mixed"));
        JsonNode r = clean(mixed, "faq.jsonl", (lines.get(0) + "\r" + lines.get(1) + "\r\n" + lines.get(2) + "\n" + lines.get(3))
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(4, r.path("kept").asLong(), r.path("counts").toString());
    }

    @Test
    void severalJsonValuesOnOneLineAreSeveralRecords(@TempDir Path out) throws IOException {
        List<String> l = CleaningPipelineTest.realLines().subList(0, 5);
        String content = l.get(0) + l.get(1) + "\n" + l.get(2) + "  " + l.get(3) + "\n" + l.get(4) + " trailing words\n";
        JsonNode r = clean(out, "faq.jsonl", content.getBytes(StandardCharsets.UTF_8));
        assertEquals(6, r.path("records").asLong(), "four concatenated values, one more value and its trailing words");
        assertEquals(5, r.path("kept").asLong(), r.path("counts").toString());
        assertEquals(4, r.path("counts").path("jsonl.several-values-on-one-line").asLong(), r.path("counts").toString());
        assertEquals(1, r.path("counts").path("dropped.malformed-json").asLong(), "the trailing words are reported, not ignored");
        assertEquals(3, r.path("dropped").get(0).path("line").asLong());
    }

    @Test
    void invalidBytesAreRepairedAndFlaggedOrRejectedNeverReplaced(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        jsonl.write("{\"question\":\"Do you serve Caf\u00e9 cr\u00e8me?\",\"answer\":\"Yes, every morning from eight.\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1)); // Latin-1 bytes: not UTF-8, readable as windows-1252
        jsonl.write("{\"question\":\"What does byte ".getBytes(StandardCharsets.US_ASCII));
        jsonl.write(new byte[] {(byte) 0x81, (byte) 0xC3}); // no meaning in UTF-8 nor windows-1252
        jsonl.write(" mean?\",\"answer\":\"Nothing at all in any encoding.\"}\n".getBytes(StandardCharsets.US_ASCII));
        Path out = Files.createDirectory(dir.resolve("jsonl"));
        JsonNode r = clean(out, "cafe.jsonl", jsonl.toByteArray());
        assertEquals(1, r.path("kept").asLong(), r.path("counts").toString());
        assertEquals(1, r.path("counts").path("encoding-repaired").asLong(), "the repaired record is flagged");
        assertEquals(1, r.path("counts").path("dropped.invalid-bytes").asLong(), r.path("counts").toString());
        assertEquals(2, r.path("dropped").get(0).path("line").asLong());
        String kept = allSplits(out);
        assertTrue(kept.contains("Caf\u00e9 cr\u00e8me"), kept);
        assertFalse(kept.contains("\uFFFD"));

        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.write("question,answer\nIs the Caf".getBytes(StandardCharsets.US_ASCII));
        csv.write(new byte[] {(byte) 0xE9});
        csv.write(" open?,Yes it is open daily.\nWhere is it?,Next to the station entrance.\n".getBytes(StandardCharsets.US_ASCII));
        Path csvOut = Files.createDirectory(dir.resolve("csv"));
        JsonNode c = clean(csvOut, "cafe.csv", csv.toByteArray());
        assertEquals(1, c.path("counts").path("dropped.invalid-bytes").asLong(), c.path("counts").toString());
        assertFalse(allSplits(csvOut).contains("\uFFFD"));
    }

    @Test
    void nonStringContentIsConvertedWithANoteOrRejectedWithAReason(@TempDir Path out) throws IOException {
        String content = String.join("\n",
                "{\"question\":\"How many days does a refund take?\",\"answer\":14}",
                "{\"question\":\"Is shipping free in the whole country?\",\"answer\":true}",
                "{\"question\":\"What are the opening hours?\",\"answer\":{\"weekdays\":\"9-17\"}}",
                "{\"question\":\"Which sizes are there?\",\"answer\":[36,38,40]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Is there a student discount?\"}]},"
                        + "{\"role\":\"assistant\",\"content\":\"Yes, ten percent with a valid student card.\"}]}") + "\n";
        CleaningPipeline p = new CleaningPipeline(CleaningConfig.defaults(), out);
        p.add("shop.jsonl", new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null);
        CleaningResult res = p.finish(Map.of());
        JsonNode r = CleaningPipelineTest.JSON.readTree(out.resolve(CleaningReport.FILE).toFile());
        assertEquals(3, res.kept(), r.path("counts").toString());
        assertEquals(2, r.path("counts").path("content.converted-to-text").asLong(), r.path("counts").toString());
        assertEquals(2, r.path("counts").path("dropped.non-string-content").asLong(), r.path("counts").toString());
        String kept = allSplits(out);
        assertTrue(kept.contains("\"content\":\"14\"") && kept.contains("\"content\":\"true\""), kept);
        assertFalse(kept.contains("weekdays"), kept);
    }
}
