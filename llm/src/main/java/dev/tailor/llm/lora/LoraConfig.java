package dev.tailor.llm.lora;

import dev.tailor.common.events.Projection;
import java.util.List;

/**
 * The shape of a LoRA adapter: {@code W x + (alpha / rank) · B A dropout(x)} on each target projection. (Training
 * asks for one through {@code TrainingParams.Lora}; an adapter loaded from PEFT may be larger than training allows.)
 */
public record LoraConfig(int rank, double alpha, double dropout, List<Projection> targetModules) {

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
        if (targetModules == null || targetModules.isEmpty() || targetModules.stream().anyMatch(t -> t == null)) {
            throw new IllegalArgumentException("LoRA needs at least one target module of " + Projection.names());
        }
        targetModules = List.copyOf(targetModules);
    }

    public double scaling() {
        return alpha / rank;
    }
}
