package dev.tailor.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
    @Test
    void defaultsMatchThePlatformDefaults() {
        TrainConfig c = TrainConfig.defaults();
        assertEquals("lora", c.method());
        assertEquals(8, c.loraRank());
        assertEquals(List.of("q_proj", "v_proj"), c.targetModules());
        assertEquals(2e-3, c.learningRate());
    }

    @Test
    void overridesAcceptSnakeCaseAndStrings() {
        TrainConfig c = TrainConfig.defaults().with(Map.of("learning_rate", "1e-4", "batch-size", 4,
                "target_modules", "q_proj,k_proj", "packing", "true"));
        assertEquals(1e-4, c.learningRate());
        assertEquals(4, c.batchSize());
        assertEquals(List.of("q_proj", "k_proj"), c.targetModules());
        assertTrue(c.packing());
    }

    @Test
    void rejectsBadValuesWithActionableMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.defaults().with(Map.of("loraRank", 0)));
        assertEquals("loraRank must be between 1 and 256 for method=lora, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().with(Map.of("scheduler", "step")));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().with(Map.of("targetModules", "qkv")));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.defaults().with(Map.of("nope", 1)));
        // full fine-tuning ignores LoRA fields
        assertEquals("full", TrainConfig.defaults().with(Map.of("method", "full", "loraRank", 0)).method());
    }
}
