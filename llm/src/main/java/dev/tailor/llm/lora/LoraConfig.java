package dev.tailor.llm.lora;

import dev.tailor.llm.model.Transformer;
import java.util.List;

/**
 * LoRA hyper-parameters: {@code W x + (alpha / rank) · B A dropout(x)} on each target projection.
 *
 * @param targetModules any of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules) {

    public LoraConfig {
        if (rank < 1 || rank > 1024) {
            throw new IllegalArgumentException("LoRA rank must be between 1 and 1024, got " + rank);
        }
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("LoRA alpha must be > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new IllegalArgumentException("LoRA needs at least one target module of " + Transformer.PROJECTIONS);
        }
        for (String t : targetModules) {
            if (!Transformer.PROJECTIONS.contains(t)) {
                throw new IllegalArgumentException("Unknown LoRA target module '" + t + "', expected any of "
                        + Transformer.PROJECTIONS);
            }
        }
        targetModules = List.copyOf(targetModules);
    }

    public double scaling() {
        return alpha / rank;
    }
}
