package dev.tailor.llm.train;

import ai.djl.ndarray.NDArray;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.Map;

/** LoRA fine-tuning: the base stays frozen, only the adapter's A/B matrices train; saved in PEFT layout. */
public final class LoraTrainingModel implements TrainingModel {
    private final Transformer base;
    private final LoraAdapter adapter;
    private final int padId;
    private final String baseModelName;

    public LoraTrainingModel(Transformer base, LoraAdapter adapter, int padId, String baseModelName) {
        this.base = base;
        this.adapter = adapter;
        this.padId = padId;
        this.baseModelName = baseModelName;
    }

    public Transformer base() {
        return base;
    }

    public LoraAdapter adapter() {
        return adapter;
    }

    @Override
    public NDArray logits(NDArray inputIds, boolean training) {
        return base.forward(inputIds, null, adapter, training); // (B, T, V)
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return adapter.parameters();
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public void saveOutput(Path dir) {
        adapter.savePeft(dir, baseModelName);
    }
}
