package dev.tailor.llm.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.model.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {
    @TempDir
    Path tmp;

    private static String corpus() {
        return new String(Pretrainer.bundledCorpus(), StandardCharsets.UTF_8).substring(0, 60_000);
    }

    @Test
    void bpeMergesAreDeterministicAndTheHfTokenizerRoundTrips() throws IOException {
        String text = corpus();
        List<String[]> merges = BpeTrainer.train(text, 200);
        assertEquals(200, merges.size());
        assertEquals(String.join(" ", merges.get(7)), String.join(" ", BpeTrainer.train(text, 200).get(7)));
        int vocab = ByteTokenizer.write(tmp, 1024, merges);
        assertEquals(459, vocab);
        ModelConfig mc = ModelConfig.llama(32, 1, 2, 2, 64, (vocab + 63) / 64 * 64, 1024, true);
        try (TextTokenizer tok = TextTokenizer.load(tmp, mc)) {
            String sample = "Call me Ishmael. Some years ago—never mind how long precisely—\n\"Whale!\" 1851 ü";
            int[] ids = tok.encode(sample, false);
            assertEquals(sample, tok.decode(ids));
            assertTrue(ids.length < sample.getBytes(StandardCharsets.UTF_8).length * 0.7,
                    "merges should shorten English text: " + ids.length);
            assertEquals(List.of(1), List.of(tok.encode("<s>", false)[0]));
        }
    }

    @Test
    void pretrainsASmallModelIntoALoadableCheckpointWithAChatTemplate() throws IOException {
        Path corpus = tmp.resolve("corpus.txt");
        Files.writeString(corpus, corpus());
        Path out = tmp.resolve("model");
        PretrainConfig pc = new PretrainConfig(out, 32, 1, 2, 64, 64, 4, 5e-3, 12, 0, 7, corpus, 100);
        Pretrainer.Outcome o = Pretrainer.run(pc, null);
        assertEquals(12, o.result().steps());
        assertTrue(o.result().validationLoss() < Math.log(o.vocab()), "below uniform: " + o.result().validationLoss());
        assertTrue(Files.notExists(out.resolve("checkpoints")));
        try (LanguageModel m = LanguageModel.load(out)) {
            String chat = m.chatTemplate().render(List.of(new ChatMessage("system", "S"), new ChatMessage("user", "U"),
                    new ChatMessage("assistant", "A")), false).text();
            assertEquals("<s>system\nS</s>\n<s>user\nU</s>\n<s>assistant\nA</s>\n", chat);
            assertTrue(m.chatTemplate().render(List.of(new ChatMessage("user", "U")), true).text().endsWith("<s>assistant\n"));
            var g = m.generate(GenerationRequest.greedy(m.tokenizer().encode("The whale", true), 8), null);
            assertTrue(g.newIds().length >= 1 && g.newIds().length <= 8);
        }
    }
}
