package dev.tailor.llm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.llm.Fixture;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatExample;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token counts of the tiny-llama fixture's tokenizer (byte-level, no merges: one token per UTF-8 byte plus the
 * special tokens) as training renders examples: its chat template writes {@code <s>role\ncontent</s>\n} per message,
 * so a message costs 3 tokens plus the bytes of "role\ncontent"; a text gets BOS and EOS.
 */
class ExampleLengthsTest {
    @Test
    void countsWhatTheEncoderTrainsOn() throws Exception {
        try (ExampleLengths lengths = ExampleLengths.load(Fixture.dir(), "tiny-llama");
             LanguageModel model = LanguageModel.load(Fixture.dir())) {
            // "Grüße, SQLite" is 15 UTF-8 bytes, + BOS + EOS
            assertEquals(17, lengths.count("{\"text\": \"Grüße, SQLite\"}"));
            // the first line of examples/support-faq.jsonl: 610 by the rule above (bytes counted in Python)
            String line = Files.readAllLines(Path.of("..", "examples", "support-faq.jsonl")).get(0);
            assertEquals(610, lengths.count(line));
            assertEquals(model.exampleEncoder().encode(ChatExample.fromJson(line), 100_000).fullLength(), lengths.count(line));
            assertEquals(model.exampleEncoder().encode(ChatExample.fromJson(line), 64).fullLength(), lengths.count(line),
                    "the length before fitting into maxSeqLength");
            assertTrue(lengths.hasChatTemplate());
        }
    }

    @Test
    void aFolderWithoutTokenizerIsRefusedWithWhatIsMissing(@TempDir Path empty) {
        String msg = assertThrows(IllegalArgumentException.class, () -> ExampleLengths.load(empty, "x")).getMessage();
        assertTrue(msg.contains("config.json") || msg.contains("tokenizer.json"), msg);
    }
}
