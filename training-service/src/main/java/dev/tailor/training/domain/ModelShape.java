package dev.tailor.training.domain;

/** The numbers of a base model's {@code config.json} that the preflight estimate needs. */
public record ModelShape(int hiddenSize, int numLayers, int numHeads, int numKvHeads, int intermediateSize,
                         int vocabSize, boolean tiedEmbeddings, int maxPositions) {

    public ModelShape {
        if (maxPositions <= 0 || hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0 || intermediateSize <= 0
                || vocabSize <= 0) {
            throw new IllegalArgumentException("config.json must give positive hidden_size, num_hidden_layers, "
                    + "num_attention_heads, num_key_value_heads, intermediate_size, vocab_size and max_position_embeddings");
        }
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Output width of a projection by its HF name (q/k/v/o/gate/up/down_proj). */
    public long outFeatures(String module) {
        return switch (module) {
            case "q_proj", "o_proj", "down_proj" -> hiddenSize;
            case "k_proj", "v_proj" -> (long) numKvHeads * headDim();
            case "gate_proj", "up_proj" -> intermediateSize;
            default -> throw new IllegalArgumentException("unknown target module " + module
                    + "; use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj or down_proj");
        };
    }

    /** Input width of a projection by its HF name. */
    public long inFeatures(String module) {
        return switch (module) {
            case "o_proj" -> hiddenSize;
            case "down_proj" -> intermediateSize;
            default -> {
                outFeatures(module);
                yield hiddenSize;
            }
        };
    }

    /** Number of parameters of the whole model. */
    public long parameterCount() {
        long kv = (long) numKvHeads * headDim();
        long attention = 2L * hiddenSize * hiddenSize + 2L * hiddenSize * kv;
        long mlp = 3L * hiddenSize * intermediateSize;
        long norms = 2L * hiddenSize;
        long embeddings = (long) vocabSize * hiddenSize * (tiedEmbeddings ? 1 : 2);
        return numLayers * (attention + mlp + norms) + embeddings + hiddenSize;
    }
}
