package dev.tailor.dataprep.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The profile of a run on real data: the SQLite/SpamAssassin pairs and the Python FAQ pages (data/README.md). */
class DatasetProfileTest {
    @Test
    void perSourceAndOverallFiguresAndSufficiencyNotes(@TempDir Path out) throws IOException {
        DatasetProfile profile = new DatasetProfile(String::length, 256, true); // a "tokenizer" of one token a character
        try (CleaningPipeline p = new CleaningPipeline(CleaningConfig.defaults(), out)) {
            p.profile(profile);
            byte[] faq = FormatsTest.resource("support-faq-40.jsonl");
            p.add("support.jsonl", new ByteArrayInputStream(faq), null);
            p.add("again.jsonl", new ByteArrayInputStream(faq), null);
            p.add("general.html", new ByteArrayInputStream(FormatsTest.resource("docs/python-faq/general.html")), null);
            p.finish(Map.of());
            assertThrows(IllegalStateException.class, () -> p.profile(profile));
        }
        JsonNode m = new ObjectMapper().valueToTree(profile.toMap());
        JsonNode again = m.at("/sources/again.jsonl");
        assertEquals(40, again.get("records").asLong());
        assertEquals(1.0, again.get("duplicateShare").asDouble(), "every record of the second copy is a duplicate");
        assertEquals(40, again.at("/dropRateByRule/exact-duplicate/records").asLong());
        JsonNode all = m.get("overall");
        assertEquals(80 + m.at("/sources/general.html/records").asLong(), all.get("records").asLong());
        assertTrue(all.at("/languages/en").asLong() >= 60, all.get("languages").toString());
        assertTrue(all.at("/length/shareOverMaxSeqLength").asDouble() > 0.5, all.get("length").toString());
        assertTrue(all.at("/length/tokenHistogram").size() >= 3, all.get("length").toString());
        String notes = m.get("sufficiency").toString();
        assertTrue(notes.contains("too few to fine-tune") && notes.contains("longer than maxSeqLength 256 tokens"), notes);
        assertTrue(notes.contains("duplicates"), notes);
    }

    @Test
    void histogramBucketsArePowersOfTwo() {
        assertEquals(0, SourceProfile.bucket(10, 64));
        assertEquals(64, SourceProfile.bucket(64, 64));
        assertEquals(512, SourceProfile.bucket(1000, 64));
    }
}
