package dev.tailor.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.LanguageModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade on a real LanguageModel: chat examples in, a PEFT adapter out that lowers the held-out loss. */
class TrainerTest {
    @TempDir
    Path tmp;

    static List<ChatExample> chats(int from, int n) {
        List<ChatExample> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(ChatExample.fromJson("{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                    + "{\"role\":\"user\",\"content\":\"Order " + i + " status?\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Order " + i + " ships today.\"}]}"));
        }
        return out;
    }

    @Test
    void loraFineTuneLowersValidationLossAndTheAdapterLoads() throws IOException {
        Path yaml = tmp.resolve("params.yaml");
        Files.writeString(yaml, "learning_rate: 0.03\nlora_rank: 8\nlora_alpha: 16\nlora_dropout: 0.0\n"
                + "target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]\n"
                + "max_steps: 30\nbatch_size: 4\neval_every: 10\nmax_seq_length: 96\n");
        TrainConfig cfg = TrainConfig.defaults().withFile(yaml);
        assertEquals(0.03, cfg.learningRate());
        assertEquals(7, cfg.targetModules().size());
        List<ChatExample> train = chats(0, 12);
        List<ChatExample> val = chats(100, 4);
        Path out = tmp.resolve("out");
        try (LanguageModel base = LanguageModel.load(TinyLlama.DIR)) {
            double before = base.meanAnswerLoss(val, null, 96);
            List<TrainProgress> seen = new ArrayList<>();
            TrainResult r = new Trainer().train(base, train, val, cfg, out, seen::add);
            assertEquals(30, r.steps());
            assertEquals(30, seen.size());
            base.loadAdapter("tuned", out);
            double after = base.meanAnswerLoss(val, "tuned", 96);
            assertEquals(r.validationLoss(), after, 1e-3);
            assertTrue(after < before - 0.3, "validation loss " + before + " -> " + after);
        }
        assertTrue(Files.exists(out.resolve("training.json")));
        assertEquals(30, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    @Test
    void longPromptsAreCutFromTheLeftCountedAndNotDropped() throws IOException {
        List<ChatExample> train = new ArrayList<>(chats(0, 3));
        for (int i = 0; i < 3; i++) {
            train.add(ChatExample.fromJson("{\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "background ".repeat(30) + "order " + i + "?\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Order " + i + " ships today.\"}]}"));
        }
        TrainConfig cfg = TrainConfig.defaults().with("loraRank", 4, "loraAlpha", 8, "loraDropout", 0.0,
                "maxSteps", 2, "batchSize", 2, "maxSeqLength", 128, "evalEvery", 0);
        Path out = tmp.resolve("cut");
        try (LanguageModel base = LanguageModel.load(TinyLlama.DIR)) {
            assertEquals(2, new Trainer().train(base, train, List.of(), cfg, out, null).steps());
        }
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("training.json").toFile())
                .path("result");
        assertEquals(3, result.path("truncatedExamples").asInt(), result.toString());
        assertEquals(0, result.path("droppedExamples").asInt(), result.toString());
        assertEquals(6, result.path("trainRows").asInt(), result.toString());
    }
}
