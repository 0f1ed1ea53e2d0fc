package dev.tailor.llm.train;

import ai.djl.ndarray.NDArray;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Full fine-tuning (or pretraining): every weight trains; saved as a Hugging Face checkpoint. */
public final class FullTrainingModel implements TrainingModel {

    /** Writes the model as an HF checkpoint folder (config, weights, tokenizer files). */
    @FunctionalInterface
    public interface Saver {
        void save(Transformer model, Path dir) throws IOException;
    }

    private final Transformer model;
    private final int padId;
    private final Saver saver;

    public FullTrainingModel(Transformer model, int padId, Saver saver) {
        this.model = model;
        this.padId = padId;
        this.saver = saver;
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
    public int padId() {
        return padId;
    }

    @Override
    public void saveOutput(Path dir) throws IOException {
        saver.save(model, dir);
    }
}
