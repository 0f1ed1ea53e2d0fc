package dev.tailor.cli.bench;

import dev.tailor.llm.model.ModelConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model a benchmark runs: a checkpoint folder, or a random-init Llama shape (stories15M by default). */
public final class ShapeOptions {
    @Option(names = "--model", description = "Checkpoint folder (HF layout); overrides the shape options.")
    Path model;
    @Option(names = "--dim", defaultValue = "288", description = "Hidden size (default ${DEFAULT-VALUE}).") int dim;
    @Option(names = "--layers", defaultValue = "6", description = "Layers (default ${DEFAULT-VALUE}).") int layers;
    @Option(names = "--heads", defaultValue = "6", description = "Attention heads (default ${DEFAULT-VALUE}).") int heads;
    @Option(names = "--kv-heads", description = "Key/value heads (default = heads).") Integer kvHeads;
    @Option(names = "--intermediate", description = "MLP size (default as llama2.c: 8*dim/3 rounded up to 32).")
    Integer intermediate;
    @Option(names = "--vocab", defaultValue = "32000", description = "Vocabulary (default ${DEFAULT-VALUE}).") int vocab;
    @Option(names = "--threads", description = "PyTorch intra-op threads (default: PyTorch's choice).") Integer threads;

    /** Applies --threads; must run before the engine starts. */
    void applyThreads() {
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    ModelConfig config(int minPositions) {
        if (model != null) {
            return ModelConfig.read(model);
        }
        int inter = intermediate != null ? intermediate : ((8 * dim / 3 + 31) / 32) * 32;
        return ModelConfig.llama(dim, layers, heads, kvHeads == null ? heads : kvHeads, inter, vocab,
                Math.max(2048, minPositions), true);
    }

    String describe() {
        return model != null ? model.toString()
                : String.format("random dim %d, %d layers, %d heads, vocab %d", dim, layers, heads, vocab);
    }
}
