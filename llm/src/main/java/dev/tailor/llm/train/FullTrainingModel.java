package dev.tailor.llm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Full fine-tuning (or pretraining): every weight trains; saved as a Hugging Face checkpoint. */
public final class FullTrainingModel implements TrainingModel {

    /** Writes the model as an HF checkpoint folder (config, the weights' {@code values}, tokenizer files). */
    @FunctionalInterface
    public interface Saver {
        void save(Transformer model, Map<String, NDArray> values, Path dir) throws IOException;
    }

    private final Transformer model;
    private final int padId;
    private final Saver saver;
    private final DataType masterType;

    public FullTrainingModel(Transformer model, int padId, Saver saver) {
        this(model, padId, saver, model.computeType());
    }

    /** @param masterType float32 (master weights of a lower-precision model) or the model's compute type */
    public FullTrainingModel(Transformer model, int padId, Saver saver, DataType masterType) {
        this.model = model;
        this.padId = padId;
        this.saver = saver;
        this.masterType = masterType;
    }

    @Override
    public DataType masterType() {
        return masterType;
    }

    @Override
    public NDArray logits(NDArray inputIds, boolean training) {
        return model.forward(inputIds, null, null, training); // (B, T, V)
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return model.parameters();
    }

    @Override
    public Device device() {
        return model.manager().getDevice();
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public void saveOutput(Path dir, Map<String, NDArray> values) throws IOException {
        java.util.Map<String, NDArray> all = new java.util.LinkedHashMap<>(model.parameters());
        all.putAll(values);
        saver.save(model, all, dir);
    }
}
