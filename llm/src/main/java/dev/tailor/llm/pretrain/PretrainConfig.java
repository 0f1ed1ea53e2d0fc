package dev.tailor.llm.pretrain;

import dev.tailor.llm.ModelConfig;
import java.nio.file.Path;

/**
 * Shape and budget of a from-scratch pretraining run of a small Llama model on a byte-level corpus.
 *
 * @param steps optimizer steps; 0 = as many as fit in {@code minutes} (measured on this machine, so
 *              only an explicit step count is reproducible bit for bit)
 * @param corpus a UTF-8 text file, or null for the bundled Moby-Dick text
 */
public record PretrainConfig(Path out, int hidden, int layers, int heads, int intermediate, int seqLength,
                             int batchSize, double learningRate, int steps, double minutes, long seed, Path corpus) {

    public PretrainConfig {
        if (out == null) {
            throw new IllegalArgumentException("set the output folder (--out DIR)");
        }
        if (hidden <= 0 || heads <= 0 || hidden % heads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden (" + hidden + ") must be a positive multiple of heads (" + heads
                    + ") with an even head size");
        }
        if (layers < 1 || intermediate < 1 || seqLength < 16 || batchSize < 1) {
            throw new IllegalArgumentException("layers, intermediate and batch must be >= 1 and seq >= 16");
        }
        if (steps < 0 || (steps == 0 && minutes <= 0)) {
            throw new IllegalArgumentException("give --steps N or --minutes M (> 0)");
        }
    }

    /** The starter model: ~3.4 M parameters, byte-level vocabulary padded to 320. */
    public static PretrainConfig starter(Path out) {
        return new PretrainConfig(out, 256, 4, 4, 688, 256, 16, 3e-3, 0, 4.0, 42, null);
    }

    public ModelConfig modelConfig() {
        return ModelConfig.llama(hidden, layers, heads, heads, intermediate, 320, 1024, true);
    }
}
