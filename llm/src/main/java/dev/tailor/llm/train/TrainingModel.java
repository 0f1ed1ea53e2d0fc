package dev.tailor.llm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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

    /**
     * The arrays the forward pass uses and autograd differentiates, by name (LoRA: adapter A/B only; full: every
     * weight), in the model's compute type.
     */
    Map<String, NDArray> trainableParameters();

    /** Where the model's weights live: the loop creates its batches, scratch and optimizer state there. */
    Device device();

    /** Token id used to pad batches on the right. */
    int padId();

    /**
     * Type of the optimizer's copy of the trained parameters: float32 master weights when it differs from the compute
     * type (mixed precision); the parameters themselves otherwise.
     */
    default DataType masterType() {
        return trainableParameters().values().iterator().next().getDataType();
    }

    /** Writes the trained result (PEFT adapter or full HF checkpoint) into {@code dir}. */
    default void saveOutput(Path dir) throws IOException {
        saveOutput(dir, trainableParameters());
    }

    /** The same with the trained values from {@code values} (master weights under mixed precision), as float32. */
    void saveOutput(Path dir, Map<String, NDArray> values) throws IOException;
}
