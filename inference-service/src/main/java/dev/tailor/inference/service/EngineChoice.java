package dev.tailor.inference.service;

import dev.tailor.inference.config.InferenceSettings.DecodeEngine;
import dev.tailor.inference.config.InferenceSettings.WeightType;
import dev.tailor.llm.cpu.WeightFormat;

/**
 * Where a served model decodes, as {@code tailor.inference.decode-engine} and {@code weight-type} ask.
 *
 * @param java     whether to use the Java engine
 * @param format   its weight format (when {@code java})
 * @param required whether a model that cannot use it fails to load (else it decodes on PyTorch with a warning)
 */
record EngineChoice(boolean java, WeightFormat format, boolean required) {

    /**
     * @throws IllegalArgumentException for int8 weights without the Java engine (PyTorch has no int8 path here)
     */
    static EngineChoice of(DecodeEngine engine, WeightType type) {
        if (type == WeightType.INT8) {
            if (engine == DecodeEngine.TORCH) {
                throw new IllegalArgumentException("tailor.inference.weight-type=int8 needs the Java engine, but"
                        + " tailor.inference.decode-engine is torch: set it to java or auto");
            }
            return new EngineChoice(true, WeightFormat.INT8, true);
        }
        return switch (engine) {
            case TORCH -> new EngineChoice(false, null, false);
            case JAVA -> new EngineChoice(true, WeightFormat.FLOAT32, true);
            // float16 is PyTorch's half-precision path: auto keeps it there
            case AUTO -> type == WeightType.FLOAT16 ? new EngineChoice(false, null, false)
                    : new EngineChoice(true, WeightFormat.FLOAT32, false);
        };
    }
}
