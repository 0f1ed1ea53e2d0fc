package dev.tailor.eval.domain.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a text into a sentence embedding, e.g. all-MiniLM-L6-v2 (384 dimensions) run locally. Implementations
 * return vectors of {@link #dimension()} floats; batch embedding may be overridden for speed.
 */
public interface TextEmbedder {

    /** Length of every vector this embedder returns. */
    int dimension();

    /** The embedding of {@code text}: shape (dimension). */
    float[] embed(String text);

    /** The embeddings of {@code texts} in order: shape (texts, dimension). */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(embed(t));
        }
        return out;
    }
}
