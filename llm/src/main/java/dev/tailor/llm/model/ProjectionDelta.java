package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import dev.tailor.common.events.Projection;

/**
 * Something added to the outputs of a decoder's linear layers: {@code y = W x (+ b) + delta(x)}. A LoRA adapter is
 * one; {@link Transformer#forward} calls it for every projection of every layer.
 */
@FunctionalInterface
public interface ProjectionDelta {

    /**
     * @param x        input of the projection: (B, T, in)
     * @param training true while training (dropout on)
     * @return (B, T, out) to add to the projection's output, or null to leave it as it is
     */
    NDArray apply(int layer, Projection projection, NDArray x, boolean training);
}
