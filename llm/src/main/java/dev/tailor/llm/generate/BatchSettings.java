package dev.tailor.llm.generate;

/**
 * Limits of a {@link BatchDecoder}.
 *
 * @param maxRows           sequences decoded together at most (the batch size)
 * @param maxBatchTokens    tokens run through the model in one step at most: one per decoding row plus the prompt
 *                          tokens prefilled for joining sequences (a long prompt is prefilled over several steps)
 * @param maxSequenceTokens prompt + generated tokens of one sequence at most (KV cache rows; capped by the model's
 *                          context): KV memory = maxRows × maxSequenceTokens × layers × 2 × kvHeads × headDim × 4 B
 */
public record BatchSettings(int maxRows, int maxBatchTokens, int maxSequenceTokens) {

    public BatchSettings {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows (batch size) must be at least 1, got " + maxRows);
        }
        if (maxBatchTokens < maxRows + 1) {
            throw new IllegalArgumentException("maxBatchTokens must exceed maxRows (" + maxRows
                    + ", one token per decoding row) so that prompts can join, got " + maxBatchTokens);
        }
        if (maxSequenceTokens < 2) {
            throw new IllegalArgumentException("maxSequenceTokens must be at least 2, got " + maxSequenceTokens);
        }
    }
}
