package dev.tailor.dataprep.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real five-message thread of the Spambayes list (data/spambayes-thread, see the data README), read
 * as separate .eml files in an order other than the thread's, in both thread modes.
 */
class EmailConversationsTest {
    private static final String[] FILES = {"01735", "01709", "01733", "01711", "01730"};
    private static final String MARKS_REPLY = "<JHEOKEOOLIGLDHCMAHMOGEGJDNAA.marklists@mceahern.com>";

    private static List<JsonNode> clean(Path out, String mode) throws IOException {
        return CleaningPipelineTest.readJsonl(run(out, "{\"emailThreads\": \"" + mode + "\"}").split(Split.TRAIN));
    }

    private static CleaningResult run(Path out, String settings) throws IOException {
        CleaningConfig cfg = CleaningConfig.merge(FormatsTest.ALL_TRAIN, CleaningPipelineTest.JSON.readTree(settings));
        try (CleaningPipeline p = new CleaningPipeline(cfg, out)) {
            for (String f : FILES) {
                p.add(f + ".eml", new ByteArrayInputStream(FormatsTest.resource("spambayes-thread/" + f + ".eml")), null);
            }
            return p.finish(Map.of());
        }
    }

    @Test
    void aTinyMemoryBudgetForgetsQuestionsAndReportsTheRepliesAsOrphans(@TempDir Path out) throws IOException {
        for (String mode : List.of("pairs", "conversations")) {
            CleaningResult r = run(out.resolve(mode), "{\"emailThreads\": \"" + mode + "\", \"maxThreadBytes\": 1}");
            assertEquals(0, r.kept(), mode);
            JsonNode counts = CleaningPipelineTest.JSON.readTree(r.report().toFile()).get("counts");
            assertEquals(4, counts.path("dropped.email-reply-without-question").asLong(), mode + ": " + counts);
        }
    }

    @Test
    void aThreadBecomesOneConversationPerPathWithTheFirstSenderAsUser(@TempDir Path out) throws IOException {
        List<JsonNode> ex = clean(out, "conversations");
        assertEquals(1, ex.size(), ex.toString());
        JsonNode turns = ex.get(0).get("messages");
        // Skip asks; Guido and then Greg answer (joined into one assistant turn); Skip asks again; Mark answers
        assertEquals(List.of("user", "assistant", "user", "assistant"),
                java.util.stream.StreamSupport.stream(turns.spliterator(), false).map(t -> t.get("role").asText()).toList());
        assertTrue(turns.get(0).get("content").asText().startsWith("spambayes package?\n\nBefore we get too far down this road"), turns.get(0).toString());
        assertTrue(turns.get(2).get("content").asText().contains("That has the nasty side effect of placing all .py files"),
                turns.get(2).toString());
        assertEquals(MARKS_REPLY, ex.get(0).at("/source/id").asText(), "traced to the thread's last message");
        assertEquals("01735.eml", ex.get(0).at("/source/file").asText(), "traced to the thread's last message");
    }

    @Test
    void pairsModeGivesOneExamplePerReply(@TempDir Path out) throws IOException {
        List<JsonNode> ex = clean(out, "pairs");
        assertEquals(4, ex.size(), ex.toString());
        for (JsonNode e : ex) {
            assertEquals(2, e.get("messages").size());
        }
        assertFalse(ex.stream().anyMatch(e -> e.get("messages").get(0).get("content").asText().isBlank()));
    }

    @Test
    void unknownModeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CleaningConfig.fromJson("{\"emailThreads\": \"threads\"}"));
        assertTrue(e.getMessage().contains("\"pairs\" or \"conversations\""), e.getMessage());
    }

    @Test
    void senderAddressesAreComparedWithoutDisplayNames() {
        assertEquals("skip@pobox.com", EmailThreads.address("skip@pobox.com (Skip Montanaro)"));
        assertEquals("skip@pobox.com", EmailThreads.address("Skip Montanaro <Skip@Pobox.com>"));
        assertEquals(null, EmailThreads.address("undisclosed-recipients"));
    }

}
