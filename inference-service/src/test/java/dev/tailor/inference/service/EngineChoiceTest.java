package dev.tailor.inference.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.inference.config.InferenceSettings.DecodeEngine;
import dev.tailor.inference.config.InferenceSettings.WeightType;
import dev.tailor.llm.cpu.WeightFormat;
import org.junit.jupiter.api.Test;

/** Every combination of decode-engine and weight-type. */
class EngineChoiceTest {

    @Test
    void autoUsesTheEngineWhereItCanAndFallsBack() {
        assertEquals(new EngineChoice(true, WeightFormat.FLOAT32, false),
                EngineChoice.of(DecodeEngine.AUTO, WeightType.FLOAT32));
        assertEquals(new EngineChoice(false, null, false), EngineChoice.of(DecodeEngine.AUTO, WeightType.FLOAT16));
        assertEquals(new EngineChoice(true, WeightFormat.INT8, true),
                EngineChoice.of(DecodeEngine.AUTO, WeightType.INT8));
    }

    @Test
    void javaIsRequiredAndTorchNeverUsesTheEngine() {
        assertEquals(new EngineChoice(true, WeightFormat.FLOAT32, true),
                EngineChoice.of(DecodeEngine.JAVA, WeightType.FLOAT32));
        assertEquals(new EngineChoice(true, WeightFormat.FLOAT32, true),
                EngineChoice.of(DecodeEngine.JAVA, WeightType.FLOAT16));
        assertEquals(new EngineChoice(true, WeightFormat.INT8, true),
                EngineChoice.of(DecodeEngine.JAVA, WeightType.INT8));
        assertEquals(new EngineChoice(false, null, false), EngineChoice.of(DecodeEngine.TORCH, WeightType.FLOAT32));
        assertEquals(new EngineChoice(false, null, false), EngineChoice.of(DecodeEngine.TORCH, WeightType.FLOAT16));
    }

    @Test
    void int8OnPyTorchIsRefusedWithWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineChoice.of(DecodeEngine.TORCH, WeightType.INT8));
        assertTrue(e.getMessage().contains("set it to java or auto"), e.getMessage());
    }
}
