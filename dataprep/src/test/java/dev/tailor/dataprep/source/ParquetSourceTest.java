package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files written here with Parquet's own writer from the real SQLite FAQ pairs of support-faq-40.jsonl. */
class ParquetSourceTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The FAQ's (question, answer) pairs, in file order. */
    static List<String[]> faqPairs() throws IOException {
        List<String[]> pairs = new ArrayList<>();
        for (String line : new String(FormatsTest.resource("support-faq-40.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            JsonNode n = JSON.readTree(line);
            pairs.add(new String[] {n.at("/messages/0/content").asText(), n.at("/messages/1/content").asText()});
        }
        return pairs;
    }

    /** Writes the pairs as Parquet with Question/Answer string columns and an int64 id. */
    static byte[] parquet(Path dir, List<String[]> pairs) throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message faq { required int64 id; "
                + "required binary Question (STRING); optional binary Answer (STRING); }");
        Path file = dir.resolve("faq-" + System.nanoTime() + ".parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema).build()) {
            for (int i = 0; i < pairs.size(); i++) {
                Group g = groups.newGroup().append("id", (long) i).append("Question", pairs.get(i)[0]);
                if (pairs.get(i)[1] != null) {
                    g.append("Answer", pairs.get(i)[1]);
                }
                w.write(g);
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    @Test
    void parquetRowsMapLikeCsvColumnsWithRowNumbersAsSource(@TempDir Path dir) throws IOException {
        List<String[]> pairs = faqPairs();
        pairs.set(3, new String[] {pairs.get(3)[0], null}); // a missing answer is rejected like in CSV
        byte[] data = parquet(dir, pairs);
        assertEquals("PAR1", new String(Arrays.copyOfRange(data, data.length - 4, data.length), StandardCharsets.US_ASCII));
        SourceOpener.Opened opened = SourceOpener.open("faq.parquet", null, new ByteArrayInputStream(data),
                new SourceContext(FormatsTest.ALL_TRAIN), 0);
        assertEquals(InputFormat.PARQUET, opened.format());
        List<ParseResult> rows = new ArrayList<>();
        opened.records().forEachRemaining(rows::add);
        assertEquals(40, rows.size());
        ParseResult first = rows.get(0);
        assertTrue(first.isOk(), first.toString());
        assertEquals(SourceRef.line("faq.parquet", 1), first.source());
        assertEquals(SourceRef.line("faq.parquet", 40), rows.get(39).source());
        assertEquals(pairs.get(0)[0], first.example().messages().get(0).content());
        assertEquals(pairs.get(0)[1], first.example().messages().get(1).content());
        assertEquals(pairs.get(39)[1], rows.get(39).example().messages().get(1).content());
        assertFalse(rows.get(3).isOk());
        assertEquals(SourceRef.line("faq.parquet", 4), rows.get(3).source());
    }

    @Test
    void parquetThroughThePipelineKeepsTheRowAsSource(@TempDir Path dir) throws IOException {
        List<String[]> pairs = faqPairs();
        List<JsonNode> ex = FormatsTest.clean(dir.resolve("out"), FormatsTest.ALL_TRAIN, "faq.parquet", parquet(dir, pairs));
        JsonNode autoinc = FormatsTest.find(ex, "How do I create an AUTOINCREMENT field?");
        assertEquals("faq.parquet", autoinc.at("/source/file").asText());
        assertEquals(1, autoinc.at("/source/line").asLong());
        assertTrue(ex.size() >= 35, "kept " + ex.size());
    }

    @Test
    void aCorruptParquetFileIsAReportEntryNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] good = parquet(dir, faqPairs());
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        CleaningPipeline p = new CleaningPipeline(FormatsTest.ALL_TRAIN, dir.resolve("out"));
        assertEquals(InputFormat.PARQUET, p.add("broken.parquet", new ByteArrayInputStream(truncated), null));
        p.add("faq.parquet", new ByteArrayInputStream(good), null);
        CleaningResult r = p.finish(Map.of());
        JsonNode report = JSON.readTree(r.report().toFile());
        JsonNode dropped = report.get("dropped").get(0);
        assertEquals("broken.parquet", dropped.get("file").asText(), report.toString());
        assertEquals("malformed-parquet", dropped.get("rule").asText());
        assertTrue(dropped.get("reason").asText().contains("'broken.parquet' is not a readable Parquet file"), dropped.toString());
        assertTrue(r.kept() >= 35, "the good file is still cleaned: " + r.kept());
    }
}
