package dev.tailor.llm.pretrain;

import dev.tailor.llm.model.ModelConfig;
import java.nio.file.Path;

/**
 * Shape and budget of a from-scratch pretraining run of a small Llama model on a byte-level corpus.
 *
 * @param steps optimizer steps; 0 = as many as fit in {@code minutes} (measured on this machine, so
 *              only an explicit step count is reproducible bit for bit)
 * @param corpus a UTF-8 text file, or null for the bundled Moby-Dick text
 * @param merges BPE merges learned from the corpus (0 = one token per byte)
 */
public record PretrainConfig(Path out, int hidden, int layers, int heads, int intermediate, int seqLength,
                             int batchSize, double learningRate, int steps, double minutes, long seed, Path corpus,
                             int merges) {

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
        if (merges < 0 || merges > 60000) {
            throw new IllegalArgumentException("merges must be between 0 (plain bytes) and 60000, got " + merges);
        }
    }

    /** Model config for a tokenizer of {@code vocab} tokens (the embedding is padded to a multiple of 64). */
    public ModelConfig modelConfig(int vocab) {
        return ModelConfig.llama(hidden, layers, heads, heads, intermediate, (vocab + 63) / 64 * 64, 1024, true);
    }
}
