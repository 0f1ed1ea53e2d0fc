package dev.tailor.llm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.Projection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Shape and hyper-parameters of a Llama-family or Qwen2 decoder, read from a Hugging Face {@code config.json}.
 *
 * @param architecture one of {@link #SUPPORTED}, e.g. {@code LlamaForCausalLM}
 * @param attentionBias true when q/k/v projections carry a bias (Qwen2, or Llama with {@code attention_bias})
 * @param bosTokenId nullable (Qwen2 has none)
 */
public record ModelConfig(
        String architecture,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int vocabSize,
        double ropeTheta,
        double rmsNormEps,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        int maxPositionEmbeddings,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        RopeScaling ropeScaling) {

    /**
     * {@code rope_scaling} of config.json: type "linear" (positions divided by factor) or "llama3" (Llama 3.1/3.2
     * frequency-dependent scaling).
     */
    public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                              int originalMaxPositionEmbeddings) {
        public RopeScaling {
            if (!type.equals("linear") && !type.equals("llama3")) {
                throw new IllegalArgumentException("rope_scaling type '" + type + "' is not supported; Tailor "
                        + "supports linear and llama3");
            }
            if (!(factor > 0)) {
                throw new IllegalArgumentException("rope_scaling factor must be > 0, got " + factor);
            }
        }
    }

    /** Without rope scaling (the form most checkpoints use). */
    public ModelConfig(String architecture, int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim,
                       int intermediateSize, int vocabSize, double ropeTheta, double rmsNormEps,
                       boolean tieWordEmbeddings, boolean attentionBias, int maxPositionEmbeddings,
                       Integer bosTokenId, List<Integer> eosTokenIds) {
        this(architecture, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize, vocabSize,
                ropeTheta, rmsNormEps, tieWordEmbeddings, attentionBias, maxPositionEmbeddings, bosTokenId,
                eosTokenIds, null);
    }

    public static final Set<String> SUPPORTED =
            Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ModelConfig {
        if (!SUPPORTED.contains(architecture)) {
            throw new IllegalArgumentException("Unsupported architecture '" + architecture
                    + "': Tailor runs " + SUPPORTED + " checkpoints");
        }
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("intermediate_size", intermediateSize);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(ropeTheta > 0) || !(rmsNormEps > 0)) {
            throw new IllegalArgumentException("rope_theta and rms_norm_eps must be > 0, got "
                    + ropeTheta + " and " + rmsNormEps);
        }
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0 in config.json, got " + value);
        }
    }

    /** A Llama config with head dim = hidden / heads, no bias, bos 1, eos 2 (random-init models, tests, benchmarks). */
    public static ModelConfig llama(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab,
                                    int maxPositions, boolean tied) {
        return new ModelConfig("LlamaForCausalLM", hidden, layers, heads, kvHeads, hidden / heads, intermediate,
                vocab, 10000.0, 1e-5, tied, false, maxPositions, 1, List.of(2));
    }

    /** Output width of a projection's weight (out, in). */
    public long outFeatures(Projection p) {
        return switch (p) {
            case Q_PROJ -> (long) numHeads * headDim;
            case K_PROJ, V_PROJ -> (long) numKvHeads * headDim;
            case O_PROJ, DOWN_PROJ -> hiddenSize;
            case GATE_PROJ, UP_PROJ -> intermediateSize;
        };
    }

    /** Input width of a projection's weight (out, in). */
    public long inFeatures(Projection p) {
        return switch (p) {
            case O_PROJ -> (long) numHeads * headDim;
            case DOWN_PROJ -> intermediateSize;
            default -> hiddenSize;
        };
    }

    /** Number of weights of the whole model (biases left out). */
    public long parameterCount() {
        long perLayer = 2L * hiddenSize; // the two norms
        for (Projection p : Projection.values()) {
            perLayer += outFeatures(p) * inFeatures(p);
        }
        long embeddings = (long) vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2);
        return numLayers * perLayer + embeddings + hiddenSize;
    }

    /** Number of query heads sharing one key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** Reads {@code checkpointDir/config.json}. */
    public static ModelConfig read(Path checkpointDir) {
        Path file = checkpointDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No config.json in " + checkpointDir
                    + ": a model folder needs the Hugging Face layout (config.json, *.safetensors, tokenizer.json)");
        }
        try {
            return fromJson(MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The config of a parsed {@code config.json}; throws IllegalArgumentException for what Tailor cannot run. */
    public static ModelConfig fromJson(JsonNode c) {
        String arch = c.path("architectures").path(0).asText(null);
        if (arch == null) {
            String type = c.path("model_type").asText("");
            arch = switch (type) {
                case "llama" -> "LlamaForCausalLM";
                case "mistral" -> "MistralForCausalLM";
                case "qwen2" -> "Qwen2ForCausalLM";
                default -> "model_type=" + type;
            };
        }
        JsonNode scaling = c.get("rope_scaling");
        RopeScaling ropeScaling = null;
        if (scaling != null && scaling.isObject()) {
            String type = scaling.path("rope_type").asText(scaling.path("type").asText("?"));
            if (!"default".equals(type)) {
                ropeScaling = new RopeScaling(type, scaling.path("factor").asDouble(1.0),
                        scaling.path("low_freq_factor").asDouble(1.0), scaling.path("high_freq_factor").asDouble(4.0),
                        scaling.path("original_max_position_embeddings").asInt(8192));
            }
        }
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("hidden_act '" + act + "' is not supported (only silu)");
        }
        int hidden = c.path("hidden_size").asInt();
        int heads = c.path("num_attention_heads").asInt();
        int kvHeads = c.path("num_key_value_heads").asInt(heads);
        JsonNode hd = c.get("head_dim");
        int headDim = hd != null && hd.isNumber() ? hd.asInt() : (heads == 0 ? 0 : hidden / heads);
        int maxPos = c.path("max_position_embeddings").asInt(2048);
        boolean qwen = arch.equals("Qwen2ForCausalLM");
        JsonNode window = c.get("sliding_window");
        boolean useWindow = !qwen || c.path("use_sliding_window").asBoolean(false);
        if (useWindow && window != null && window.isNumber() && window.asInt() < maxPos) {
            // Attention over at most `window` tokens equals full attention while the context fits the window.
            maxPos = window.asInt();
        }
        boolean bias = qwen || c.path("attention_bias").asBoolean(false);
        Integer bos = c.hasNonNull("bos_token_id") ? c.get("bos_token_id").asInt() : null;
        List<Integer> eos = new ArrayList<>();
        JsonNode e = c.get("eos_token_id");
        if (e != null && e.isArray()) {
            e.forEach(n -> eos.add(n.asInt()));
        } else if (e != null && e.isNumber()) {
            eos.add(e.asInt());
        }
        return new ModelConfig(arch, hidden, c.path("num_hidden_layers").asInt(), heads, kvHeads, headDim,
                c.path("intermediate_size").asInt(), c.path("vocab_size").asInt(),
                c.path("rope_theta").asDouble(10000.0), c.path("rms_norm_eps").asDouble(1e-6),
                c.path("tie_word_embeddings").asBoolean(false), bias, maxPos, bos, eos, ropeScaling);
    }

    /** This config with another vocabulary size and tying (a model whose adapter extended the vocabulary). */
    public ModelConfig withVocabulary(int newVocabSize, boolean tied) {
        return new ModelConfig(architecture, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize,
                newVocabSize, ropeTheta, rmsNormEps, tied, attentionBias, maxPositionEmbeddings, bosTokenId,
                eosTokenIds, ropeScaling);
    }

    /** The config.json a Hugging Face loader accepts for this model. */
    public String toJson() {
        ObjectNode c = MAPPER.createObjectNode();
        c.putArray("architectures").add(architecture);
        c.put("model_type", switch (architecture) {
            case "MistralForCausalLM" -> "mistral";
            case "Qwen2ForCausalLM" -> "qwen2";
            default -> "llama";
        });
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_hidden_layers", numLayers);
        c.put("num_attention_heads", numHeads);
        c.put("num_key_value_heads", numKvHeads);
        c.put("head_dim", headDim);
        c.put("vocab_size", vocabSize);
        c.put("max_position_embeddings", maxPositionEmbeddings);
        c.put("rms_norm_eps", rmsNormEps);
        c.put("rope_theta", ropeTheta);
        c.put("tie_word_embeddings", tieWordEmbeddings);
        c.put("hidden_act", "silu");
        if (!architecture.equals("Qwen2ForCausalLM")) {
            c.put("attention_bias", attentionBias);
        }
        if (bosTokenId != null) {
            c.put("bos_token_id", bosTokenId);
        }
        if (eosTokenIds.size() == 1) {
            c.put("eos_token_id", eosTokenIds.get(0));
        } else if (!eosTokenIds.isEmpty()) {
            ArrayNode a = c.putArray("eos_token_id");
            eosTokenIds.forEach(a::add);
        }
        if (ropeScaling != null) {
            ObjectNode rs = c.putObject("rope_scaling");
            rs.put("rope_type", ropeScaling.type());
            rs.put("factor", ropeScaling.factor());
            if (ropeScaling.type().equals("llama3")) {
                rs.put("low_freq_factor", ropeScaling.lowFreqFactor());
                rs.put("high_freq_factor", ropeScaling.highFreqFactor());
                rs.put("original_max_position_embeddings", ropeScaling.originalMaxPositionEmbeddings());
            }
        }
        c.put("torch_dtype", "float32");
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
