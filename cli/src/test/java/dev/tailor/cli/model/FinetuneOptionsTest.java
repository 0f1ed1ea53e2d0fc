package dev.tailor.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingParamsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinetuneOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void everyTrainingParameterHasAnOptionAndOnlyGivenOnesOverride() {
        FinetuneCommand cmd = new FinetuneCommand();
        new CommandLine(cmd).parseArgs("--model", "m", "--train", "t.jsonl", "--lora-rank", "4",
                "--learning-rate", "5e-3", "--packing");
        Map<String, Object> flags = cmd.flags();
        assertEquals(List.copyOf(TrainingParamsJson.FLAT_TO_NESTED.keySet()), List.copyOf(flags.keySet()));
        assertEquals(4, flags.get("loraRank"));
        assertEquals(5e-3, flags.get("learningRate"));
        assertEquals(true, flags.get("packing"));
        assertNull(flags.get("epochs"));

        TrainingParams merged = FinetuneParams.resolve(null, flags);
        assertEquals(4, merged.lora().rank());
        assertEquals(TrainingParams.defaults().schedule().epochs(), merged.schedule().epochs());
    }

    @Test
    void aYamlFileOfSnakeCaseParametersIsReadAndFlagsWin() throws Exception {
        // (moved from llm's TrainerTest / TrainConfigTest: the file form of the parameters is the CLI's)
        Path yaml = tmp.resolve("params.yaml");
        Files.writeString(yaml, "learning_rate: 0.03\nlora_rank: 8\nlora_alpha: 16\nlora_dropout: 0.0\n"
                + "target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]\n"
                + "max_steps: 30\nbatch-size: 4\neval_every: 10\nmax_seq_length: 96\npacking: \"true\"\n");
        TrainingParams cfg = FinetuneParams.resolve(yaml, Map.of());
        assertEquals(0.03, cfg.optimizer().learningRate());
        assertEquals(7, cfg.lora().targetModules().size());
        assertEquals(4, cfg.data().batchSize());
        assertTrue(cfg.data().packing());
        assertEquals(1e-4, FinetuneParams.resolve(yaml, Map.of("learningRate", 1e-4)).optimizer().learningRate());
        assertEquals(List.of(Projection.Q_PROJ, Projection.K_PROJ),
                FinetuneParams.resolve(null, Map.of("targetModules", "q_proj,k_proj")).lora().targetModules());
        assertEquals("full", FinetuneParams.resolve(null, Map.of("method", "FULL")).method());
    }

    @Test
    void theNestedFormOfTheRestApiWorksInTheFileAndBadValuesSayWhy() throws Exception {
        Path yaml = tmp.resolve("nested.yaml");
        Files.writeString(yaml, "lora:\n  rank: 16\n  target_modules: [q_proj]\nschedule:\n  epochs: 3\n");
        TrainingParams cfg = FinetuneParams.resolve(yaml, Map.of());
        assertEquals(16, cfg.lora().rank());
        assertEquals(List.of(Projection.Q_PROJ), cfg.lora().targetModules());
        assertEquals(3, cfg.schedule().epochs());
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "lora_rank: 0\n");
        assertEquals("loraRank must be between 1 and 256 for method=lora, got 0",
                assertThrows(IllegalArgumentException.class, () -> FinetuneParams.resolve(bad, Map.of())).getMessage());
        Files.writeString(bad, "nope: 1\n");
        assertThrows(IllegalArgumentException.class, () -> FinetuneParams.resolve(bad, Map.of()));
    }
}
