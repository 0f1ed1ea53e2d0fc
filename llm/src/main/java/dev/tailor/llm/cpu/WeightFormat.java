package dev.tailor.llm.cpu;

/** How CPU decoding keeps a model's matrices (norms, biases and adapters stay float32). */
public enum WeightFormat {
    /** The checkpoint's values (float16 checkpoints widened): the same numbers as PyTorch's float32. */
    FLOAT32,
    /**
     * One byte a weight and a float32 scale per output row (symmetric, per channel): a quarter of float32's bytes to
     * read per token. Logits stay within 8 % of the largest float32 logit (5.4 % measured on the project's fixture
     * checkpoint, the top token the same at 38 of 40 positions: {@code CpuDecodeTest}).
     */
    INT8;

    PackedMatrix pack(float[] w, int rows, int cols) {
        return this == FLOAT32 ? PackedMatrix.float32(w, rows, cols) : PackedMatrix.int8(w, rows, cols);
    }
}
