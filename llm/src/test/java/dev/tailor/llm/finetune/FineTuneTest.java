package dev.tailor.llm.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainProgress;
import dev.tailor.llm.train.TrainResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe on a real LanguageModel: chat examples in, a PEFT adapter out that lowers the held-out loss. */
class FineTuneTest {
    private static final Path TINY_LLAMA = Path.of("src/test/resources/tiny-llama");

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

    /**
     * A tuned model trained further: the second run starts from the first run's adapter (its shape wins over the
     * parameters'), so it begins at the first run's validation loss and goes on from there.
     */
    @Test
    void trainingContinuesFromAParentAdapter() throws IOException {
        TrainingParams first = TrainingParams.builder().learningRate(0.03).loraRank(8).loraAlpha(16).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).maxSteps(15).batchSize(4).evalEvery(0)
                .maxSeqLength(96).build();
        List<ChatExample> val = chats(100, 4);
        Path parent = tmp.resolve("parent");
        Path child = tmp.resolve("child");
        try (LanguageModel base = LanguageModel.load(TINY_LLAMA)) {
            TrainResult a = FineTune.run(base, chats(0, 12), val, first, RunOptions.to(parent));
            // rank 4 asked for, but the parent's rank-8 adapter is the starting point
            TrainingParams second = first.toBuilder().loraRank(4).maxSteps(1).learningRate(1e-9).build();
            TrainResult b = FineTune.run(base, chats(12, 12), val, second,
                    RunOptions.to(child).withInitialAdapter(parent));
            assertEquals(a.validationLoss(), b.validationLoss(), 1e-3, "a near-zero step keeps the parent's weights");
            base.loadAdapter("child", child);
            assertEquals(8, base.adapter("child").config().rank());
            TrainingParams full = first.toBuilder().method("full").build();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> FineTune.run(base,
                    chats(0, 4), val, full, RunOptions.to(tmp.resolve("full")).withInitialAdapter(parent)));
        }
    }

    @Test
    void loraFineTuneLowersValidationLossAndTheAdapterLoads() throws IOException {
        // (the same parameters from a YAML file: the CLI's FinetuneOptionsTest)
        TrainingParams cfg = TrainingParams.builder().learningRate(0.03).loraRank(8).loraAlpha(16).loraDropout(0.0)
                .targetModules(Projection.values()).maxSteps(30).batchSize(4).evalEvery(10).maxSeqLength(96).build();
        assertEquals(7, cfg.lora().targetModules().size());
        List<ChatExample> train = chats(0, 12);
        List<ChatExample> val = chats(100, 4);
        Path out = tmp.resolve("out");
        try (LanguageModel base = LanguageModel.load(TINY_LLAMA)) {
            double before = base.meanAnswerLoss(val, null, 96);
            List<TrainProgress> seen = new ArrayList<>();
            TrainResult r = FineTune.run(base, train, val, cfg, RunOptions.to(out).withListener(seen::add));
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
        TrainingParams cfg = TrainingParams.builder().loraRank(4).loraAlpha(8).loraDropout(0.0).maxSteps(2).batchSize(2)
                .maxSeqLength(128).evalEvery(0).build();
        Path out = tmp.resolve("cut");
        try (LanguageModel base = LanguageModel.load(TINY_LLAMA)) {
            assertEquals(2, FineTune.run(base, train, List.of(), cfg, RunOptions.to(out)).steps());
        }
        var result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("training.json").toFile())
                .path("result");
        assertEquals(3, result.path("truncatedExamples").asInt(), result.toString());
        assertEquals(0, result.path("droppedExamples").asInt(), result.toString());
        assertEquals(6, result.path("trainRows").asInt(), result.toString());
    }
}
