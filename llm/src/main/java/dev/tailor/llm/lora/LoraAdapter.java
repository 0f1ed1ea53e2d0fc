package dev.tailor.llm.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.device.Devices;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.io.SafetensorsWriter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.ProjectionDelta;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.vocab.AdapterVocabulary;
import dev.tailor.llm.vocab.AddedVocabulary;
import dev.tailor.llm.vocab.VocabularyExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LoRA weights for one base {@link Transformer}: per target projection A (r, in) and B (out, r), held in the
 * adapter's own manager (a sub-manager of the base's). The base weights are only read, never copied, so any number
 * of adapters can be live on one base. Tensor names follow PEFT:
 * {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}. As a {@link ProjectionDelta} it adds
 * {@code (alpha / r) · B A dropout(x)} to the outputs of its target projections.
 *
 * <p>An adapter may also extend the vocabulary ({@link AdapterVocabulary}): then it carries full trained copies of
 * {@code embed_tokens} and {@code lm_head} (V' rows), saved as PEFT {@code modules_to_save} under
 * {@value #EMBED_TENSOR} and {@value #HEAD_TENSOR}, with its tokenizer files next to the weights.
 *
 * <p>Size note: loading, saving and applying an adapter share the PEFT naming; this class stays below 450 lines
 * (reading an extended vocabulary lives in {@link AdapterVocabulary}).
 */
public final class LoraAdapter implements ProjectionDelta, AutoCloseable {

    /** A (r, in) and B (out, r) of one projection. */
    public record Slot(NDArray a, NDArray b) {
    }

    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    /** PEFT's saved name of a trained copy of the token embedding ({@code modules_to_save}). */
    public static final String EMBED_TENSOR = AdapterVocabulary.EMBED_TENSOR;
    /** PEFT's saved name of a trained copy of the output layer ({@code modules_to_save}). */
    public static final String HEAD_TENSOR = AdapterVocabulary.HEAD_TENSOR;
    /** {@code modules_to_save} of an adapter that extends the vocabulary. */
    public static final List<String> MODULES_TO_SAVE = AdapterVocabulary.MODULES_TO_SAVE;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LoraConfig config;
    private final NDManager manager;
    private final Slot[][] slots;          // [layer][projection index]
    private final Map<String, NDArray> params;
    private final NDArray scaling;         // () alpha / r as an array (scalar ops under autograd are unsafe)
    private final AdapterVocabulary vocabulary; // null: the base's vocabulary

    private LoraAdapter(LoraConfig config, NDManager manager, Slot[][] slots, Map<String, NDArray> params,
                        AdapterVocabulary vocabulary) {
        this.config = config;
        this.manager = manager;
        this.slots = slots;
        this.vocabulary = vocabulary;
        if (vocabulary != null) {
            vocabulary.embed().setName(EMBED_TENSOR);
            params.put(EMBED_TENSOR, vocabulary.embed());
            if (!vocabulary.tied()) {
                vocabulary.head().setName(HEAD_TENSOR);
                params.put(HEAD_TENSOR, vocabulary.head());
            }
        }
        this.params = Collections.unmodifiableMap(params);
        this.scaling = manager.create((float) config.scaling());
    }

    /** PEFT tensor name of A or B, e.g. {@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}. */
    public static String tensorName(int layer, Projection projection, char which) {
        return PREFIX + Transformer.modulePath(layer, projection) + ".lora_" + which + ".weight";
    }

    /** New adapter: A kaiming-uniform (bound 1/sqrt(in), as PEFT), B zeros, so it starts as the identity. */
    public static LoraAdapter init(Transformer base, LoraConfig config, long seed) {
        return init(base, config, seed, DataType.FLOAT32);
    }

    /**
     * @param type type of A and B, the trained parameters: float32 (also the master weights under mixed precision) or
     *             bfloat16; on the base's device (a sub-manager of its manager)
     */
    public static LoraAdapter init(Transformer base, LoraConfig config, long seed, DataType type) {
        return init(base, config, seed, type, null, null);
    }

    /**
     * A new adapter that also extends the vocabulary with {@code added}: its embedding (and untied output layer) start
     * as the base's with each new row the mean of its sub-tokens' rows, and train in full (PEFT
     * {@code modules_to_save}).
     *
     * @param tokenizerDir folder of the extended tokenizer ({@link VocabularyExtension#writeTokenizer}); with
     *                     {@code added} null, both are ignored
     */
    public static LoraAdapter init(Transformer base, LoraConfig config, long seed, DataType type,
                                   AddedVocabulary added, Path tokenizerDir) {
        SplittableRandom rnd = new SplittableRandom(seed);
        NDManager m = base.manager().newSubManager();
        AdapterVocabulary vocab = null;
        if (added != null) {
            try {
                NDArray[] tables = VocabularyExtension.tables(base, added, m, type);
                vocab = new AdapterVocabulary(added, tables[0], tables[1],
                        TextTokenizer.load(tokenizerDir, base.config()), tokenizerDir);
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
        }
        return build(base, config, m, vocab, (name, shape) -> {
            if (name.contains("lora_B")) {
                return m.zeros(new Shape(shape), type);
            }
            float bound = (float) (1.0 / Math.sqrt(shape[1]));
            float[] v = new float[Math.toIntExact(shape[0] * shape[1])];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            }
            NDArray a = m.create(v, new Shape(shape));
            if (type == DataType.FLOAT32) {
                return a;
            }
            NDArray typed = a.toType(type, false);
            a.close();
            return typed;
        });
    }

    private interface Source {
        NDArray get(String name, long[] shape);
    }

    private static LoraAdapter build(Transformer base, LoraConfig config, NDManager m, AdapterVocabulary vocab,
                                     Source source) {
        ModelConfig mc = base.config();
        Slot[][] slots = new Slot[mc.numLayers()][Projection.values().length];
        Map<String, NDArray> params = new LinkedHashMap<>();
        try {
            for (int l = 0; l < mc.numLayers(); l++) {
                for (Projection target : config.targetModules()) {
                    long[] w = base.weight(l, target).getShape().getShape(); // (out, in)
                    String an = tensorName(l, target, 'A');
                    String bn = tensorName(l, target, 'B');
                    NDArray a = checked(source.get(an, new long[] {config.rank(), w[1]}), an, config.rank(), w[1]);
                    NDArray b = checked(source.get(bn, new long[] {w[0], config.rank()}), bn, w[0], config.rank());
                    a.setName(an);
                    b.setName(bn);
                    params.put(an, a);
                    params.put(bn, b);
                    slots[l][target.ordinal()] = new Slot(a, b);
                }
            }
        } catch (RuntimeException e) {
            if (vocab != null) {
                vocab.close();
            }
            m.close();
            throw e;
        }
        return new LoraAdapter(config, m, slots, params, vocab);
    }

    private static NDArray checked(NDArray a, String name, long... shape) {
        if (!a.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException("LoRA tensor '" + name + "' has shape " + a.getShape()
                    + ", expected " + new Shape(shape) + " for this base model and rank");
        }
        return a;
    }

    /** Loads a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) for {@code base}. */
    public static LoraAdapter loadPeft(Path dir, Transformer base) {
        return loadPeft(dir, base, DataType.FLOAT32);
    }

    /**
     * Loads a PEFT LoRA adapter folder with A and B of {@code type} (as {@link #init(Transformer, LoraConfig, long,
     * DataType)}), e.g. to train it further under bf16.
     */
    public static LoraAdapter loadPeft(Path dir, Transformer base, DataType type) {
        LoraConfig config = readConfig(dir);
        Path file = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No " + WEIGHTS_FILE + " in " + dir
                    + (Files.exists(dir.resolve("adapter_model.bin")) ? " (found adapter_model.bin: save with "
                    + "safe_serialization=True)" : ""));
        }
        NDManager m = base.manager().newSubManager();
        try (SafetensorsReader r = new SafetensorsReader(file)) {
            Map<String, String> names = new LinkedHashMap<>();
            for (String n : r.tensors().keySet()) {
                // tolerate PEFT's in-memory names (…lora_A.default.weight, …embed_tokens.modules_to_save.default…)
                names.put(n.replace(".modules_to_save", "").replace(".default.weight", ".weight"), n);
            }
            List<String> modules = modulesToSave(dir);
            AdapterVocabulary vocab = modules.isEmpty() ? null
                    : AdapterVocabulary.load(dir, modules, base, r, names, m, type);
            return build(base, config, m, vocab, (name, shape) -> {
                String stored = names.get(name);
                if (stored == null) {
                    throw new IllegalArgumentException("LoRA tensor '" + name + "' is missing from " + file);
                }
                NDArray a = r.loadFloat(stored, m);
                if (type == DataType.FLOAT32) {
                    return a;
                }
                NDArray typed = a.toType(type, false);
                a.close();
                return typed;
            });
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static List<String> modulesToSave(Path dir) {
        try {
            JsonNode m = MAPPER.readTree(dir.resolve(CONFIG_FILE).toFile()).path("modules_to_save");
            List<String> out = new ArrayList<>();
            m.forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates adapter_config.json. */
    public static LoraConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No " + CONFIG_FILE + " in " + dir + ": not a PEFT adapter folder");
        }
        try {
            JsonNode c = MAPPER.readTree(file.toFile());
            String type = c.path("peft_type").asText("LORA");
            if (!type.equals("LORA")) {
                throw new IllegalArgumentException("Adapter type " + type + " is not supported, only LORA");
            }
            if (c.path("fan_in_fan_out").asBoolean(false) || c.path("use_rslora").asBoolean(false)
                    || c.path("use_dora").asBoolean(false)) {
                throw new IllegalArgumentException("Adapter in " + dir + " uses fan_in_fan_out, rsLoRA or DoRA, "
                        + "which Tailor does not support");
            }
            for (JsonNode module : c.path("modules_to_save")) {
                if (!MODULES_TO_SAVE.contains(module.asText())) {
                    throw new IllegalArgumentException("Adapter in " + dir + " saves module '" + module.asText()
                            + "'; Tailor supports modules_to_save " + MODULES_TO_SAVE + " only (an extended "
                            + "vocabulary)");
                }
            }
            if (!c.path("bias").asText("none").equals("none") || c.path("layers_to_transform").size() > 0) {
                throw new IllegalArgumentException("Adapter in " + dir + " trains biases, extra modules or a "
                        + "subset of layers, which Tailor does not support");
            }
            if (c.path("rank_pattern").size() > 0 || c.path("alpha_pattern").size() > 0) {
                throw new IllegalArgumentException("Adapter in " + dir + " uses per-module rank_pattern/alpha_pattern,"
                        + " which Tailor does not support");
            }
            List<Projection> targets = new ArrayList<>();
            JsonNode t = c.path("target_modules");
            if (t.isArray()) {
                for (JsonNode n : t) {
                    try {
                        targets.add(Projection.of(n.asText()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("Unknown LoRA target module in " + file + ": "
                                + e.getMessage(), e);
                    }
                }
            } else if (t.asText().equals("all-linear")) {
                targets.addAll(List.of(Projection.values()));
            } else {
                throw new IllegalArgumentException("target_modules in " + file + " must be a list of projections "
                        + "or \"all-linear\", got " + t);
            }
            int r = c.path("r").asInt(8);
            return new LoraConfig(r, c.path("lora_alpha").asDouble(8), c.path("lora_dropout").asDouble(0), targets);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes adapter_config.json and adapter_model.safetensors in PEFT layout. */
    public void savePeft(Path dir, String baseModelNameOrPath) {
        savePeft(dir, baseModelNameOrPath, params);
    }

    /**
     * The same with the weights' values from {@code values} (by PEFT name: float32 master weights of a mixed-precision
     * run), written as F32.
     */
    public void savePeft(Path dir, String baseModelNameOrPath, Map<String, NDArray> values) {
        try {
            Files.createDirectories(dir);
            ObjectNode c = MAPPER.createObjectNode();
            c.put("peft_type", "LORA");
            c.put("task_type", "CAUSAL_LM");
            c.put("r", config.rank());
            c.put("lora_alpha", config.alpha());
            c.put("lora_dropout", config.dropout());
            c.put("bias", "none");
            c.put("fan_in_fan_out", false);
            c.put("inference_mode", true);
            c.put("init_lora_weights", true);
            c.put("use_rslora", false);
            c.put("use_dora", false);
            if (vocabulary == null) {
                c.putNull("modules_to_save");
            } else {
                var modules = c.putArray("modules_to_save");
                MODULES_TO_SAVE.forEach(modules::add);
            }
            c.putNull("layers_to_transform");
            var targets = c.putArray("target_modules");
            config.targetModules().forEach(m -> targets.add(m.moduleName()));
            c.put("base_model_name_or_path", baseModelNameOrPath);
            c.put("revision", (String) null);
            Files.writeString(dir.resolve(CONFIG_FILE), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c));
            Map<String, NDArray> out = values;
            if (vocabulary != null && vocabulary.tied()) { // PEFT keeps a copy per module: lm_head is the same rows
                out = new LinkedHashMap<>(values);
                out.put(HEAD_TENSOR, values.get(EMBED_TENSOR));
            }
            SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), out, SafetensorsWriter.Dtype.F32,
                    Map.of("format", "pt"));
            if (vocabulary != null) {
                VocabularyExtension.copyTokenizer(vocabulary.tokenizerDir(), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write adapter to " + dir + ": " + e.getMessage(), e);
        }
    }

    public LoraConfig config() {
        return config;
    }

    /** The vocabulary this adapter brings, or null when it uses the base's. */
    public AdapterVocabulary vocabulary() {
        return vocabulary;
    }

    /** The extended tokenizer of this adapter, or null when it uses the base's. */
    public TextTokenizer tokenizer() {
        return vocabulary == null ? null : vocabulary.tokenizer();
    }

    /** The adapter's own embedding when it has one (cast to the base table's type), else the base's. */
    @Override
    public NDArray embed(NDArray ids, NDArray table) {
        return ProjectionDelta.super.embed(ids, vocabulary == null ? table
                : Devices.as(vocabulary.embed(), table.getDataType(), ids.getManager()));
    }

    /** The adapter's own output layer when it has one (cast to the hidden states' type), else the base's. */
    @Override
    public NDArray head(NDArray hidden, NDArray lmHead) {
        return ProjectionDelta.super.head(hidden, vocabulary == null ? lmHead
                : Devices.as(vocabulary.head(), hidden.getDataType(), hidden.getManager()));
    }

    @Override
    public boolean ownsVocabulary() {
        return vocabulary != null;
    }

    @Override
    public int vocabSize(int baseVocab) {
        return vocabulary == null ? baseVocab : vocabulary.vocabSize();
    }

    /** A and B of a projection in {@code layer}, or null when the adapter leaves it alone. */
    public Slot slot(int layer, Projection projection) {
        return slots[layer][projection.ordinal()];
    }

    /** {@code (alpha / r) · B A dropout(x)}: (B, T, out) for a target projection, null for the others. */
    @Override
    public NDArray apply(int layer, Projection projection, NDArray x, boolean training) {
        Slot slot = slots[layer][projection.ordinal()];
        if (slot == null) {
            return null;
        }
        NDArray in = training && config.dropout() > 0
                ? Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow() : x;
        NDManager m = x.getManager();
        if (training && slot.a().getDataType() != x.getDataType()) {
            throw new IllegalStateException("a trained adapter must be in the compute type " + x.getDataType()
                    + ", not " + slot.a().getDataType() + " (float32 masters are kept by the training loop)");
        }
        // an adapter loaded in float32 serving a lower-precision base is cast per request
        NDArray a = Devices.as(slot.a(), x.getDataType(), m);
        NDArray b = Devices.as(slot.b(), x.getDataType(), m);
        NDArray low = Linear.linear(in, a).singletonOrThrow();                            // (B, T, r)
        return Linear.linear(low, b).singletonOrThrow().mul(scaling);                      // (B, T, out)
    }

    /** The scaling alpha / r as a 0-d float32 array. */
    public NDArray scalingArray() {
        return scaling;
    }

    /** PEFT name → trainable array (A and B of every target). Live arrays: do not close. */
    public Map<String, NDArray> parameters() {
        return params;
    }

    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        if (vocabulary != null) {
            vocabulary.close();
        }
        manager.close();
    }
}
