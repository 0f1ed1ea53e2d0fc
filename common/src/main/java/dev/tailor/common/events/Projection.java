package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * The linear layers (projections) of a Llama / Mistral / Qwen2 decoder block, under their Hugging Face module names,
 * in block order: attention q, k, v, o, then the MLP's gate, up, down. Every list of LoRA target modules (training
 * parameters, their JSON Schema, adapters, the decoder's weight table) is made of these.
 */
public enum Projection {
    Q_PROJ("q_proj"),
    K_PROJ("k_proj"),
    V_PROJ("v_proj"),
    O_PROJ("o_proj"),
    GATE_PROJ("gate_proj"),
    UP_PROJ("up_proj"),
    DOWN_PROJ("down_proj");

    private static final List<String> SORTED_NAMES = Arrays.stream(values()).map(Projection::moduleName).sorted()
            .toList();

    private final String moduleName;

    Projection(String moduleName) {
        this.moduleName = moduleName;
    }

    /** The Hugging Face module name, e.g. {@code q_proj}; also the JSON form. */
    @JsonValue
    public String moduleName() {
        return moduleName;
    }

    /** Whether the projection belongs to self-attention ({@code self_attn}) rather than the MLP ({@code mlp}). */
    public boolean attention() {
        return ordinal() <= O_PROJ.ordinal();
    }

    /**
     * The projection named {@code name} (a module name such as {@code v_proj}).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    @JsonCreator
    public static Projection of(String name) {
        for (Projection p : values()) {
            if (p.moduleName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a linear layer of the model; use some of "
                + SORTED_NAMES);
    }

    /** The projections named in {@code names}, in the given order. */
    public static List<Projection> of(List<String> names) {
        return names.stream().map(Projection::of).toList();
    }

    /** Every module name, in block order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Projection::moduleName).toList();
    }

    @Override
    public String toString() {
        return moduleName;
    }
}
