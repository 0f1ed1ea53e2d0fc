package dev.tailor.llm.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
    private final DataType masterType;

    public LoraTrainingModel(Transformer base, LoraAdapter adapter, int padId, String baseModelName) {
        this(base, adapter, padId, baseModelName, DataType.FLOAT32);
    }

    /** @param masterType float32 (master weights of a lower-precision adapter) or the adapter's own type */
    public LoraTrainingModel(Transformer base, LoraAdapter adapter, int padId, String baseModelName,
                             DataType masterType) {
        this.base = base;
        this.adapter = adapter;
        this.padId = padId;
        this.baseModelName = baseModelName;
        this.masterType = masterType;
    }

    @Override
    public DataType masterType() {
        return masterType;
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
    public Device device() {
        return base.manager().getDevice();
    }

    @Override
    public int padId() {
        return padId;
    }

    @Override
    public void saveOutput(Path dir, Map<String, NDArray> values) {
        adapter.savePeft(dir, baseModelName, values);
    }
}
