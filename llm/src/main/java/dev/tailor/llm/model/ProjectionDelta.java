package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.tailor.common.events.Projection;

/**
 * Something added to the outputs of a decoder's linear layers: {@code y = W x (+ b) + delta(x)}. A LoRA adapter is
 * one; {@link Transformer#forward} calls it for every projection of every layer. A delta may also bring its own token
 * embedding and output layer (an adapter that extends the vocabulary, PEFT {@code modules_to_save}): then
 * {@link #embed} and {@link #head} use its tables instead of the base's, and its vocabulary is
 * {@link #vocabSize(int)} tokens.
 */
@FunctionalInterface
public interface ProjectionDelta {

    /**
     * @param x        input of the projection: (B, T, in)
     * @param training true while training (dropout on)
     * @return (B, T, out) to add to the projection's output, or null to leave it as it is
     */
    NDArray apply(int layer, Projection projection, NDArray x, boolean training);

    /** Input embeddings (B, T, H) of int64 ids (B, T); {@code table} is the base's (V, H). */
    default NDArray embed(NDArray ids, NDArray table) {
        return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Logits (B, T, V') of final hidden states (B, T, H); {@code lmHead} is the base's (V, H). */
    default NDArray head(NDArray hidden, NDArray lmHead) {
        return Linear.linear(hidden, lmHead).singletonOrThrow();
    }

    /** Whether this delta brings its own token embedding and output layer ({@link #embed}, {@link #head}). */
    default boolean ownsVocabulary() {
        return false;
    }

    /** Tokens of this delta's vocabulary: the base's {@code baseVocab} unless it brings its own tables. */
    default int vocabSize(int baseVocab) {
        return baseVocab;
    }
}
