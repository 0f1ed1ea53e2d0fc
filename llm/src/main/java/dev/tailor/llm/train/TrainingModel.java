package dev.tailor.llm.train;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** What the training loop needs from a model: a forward pass, the weights to train, and how to save them. */
public interface TrainingModel {

    /**
     * @param inputIds (B, T) int64
     * @param training true enables dropout
     * @return logits (B, T, V) float32
     */
    NDArray logits(NDArray inputIds, boolean training);

    /** The arrays the optimizer updates, by name (LoRA: adapter A/B only; full: every weight). */
    Map<String, NDArray> trainableParameters();

    /** Token id used to pad batches on the right. */
    int padId();

    /** Writes the trained result (PEFT adapter or full HF checkpoint) into {@code dir}. */
    void saveOutput(Path dir) throws IOException;
}
