package dev.tailor.llm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Reads the weights of a Hugging Face checkpoint folder: {@code model.safetensors} or a sharded index. */
public final class CheckpointLoader {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private CheckpointLoader() {
    }

    /** Loads a Hugging Face checkpoint folder (config.json + safetensors) into {@code manager}, in float32. */
    public static Transformer loadModel(Path dir, NDManager manager) {
        return loadModel(dir, manager, DataType.FLOAT32);
    }

    /**
     * Loads a checkpoint on {@code manager}'s device in {@code computeType}. Each tensor is read as float32 and
     * converted on the device one at a time, so loading needs one tensor's float32 copy beyond the model itself.
     */
    public static Transformer loadModel(Path dir, NDManager manager, DataType computeType) {
        DataType weightType = computeType;
        ModelConfig config = ModelConfig.read(dir);
        Map<String, NDArray> w = load(dir, manager, name -> !name.endsWith("rotary_emb.inv_freq")
                && !(config.tieWordEmbeddings() && name.equals("lm_head.weight")));
        if (weightType != DataType.FLOAT32) {
            w.replaceAll((name, a) -> {
                NDArray typed = a.toType(weightType, false);
                typed.setName(name);
                a.close();
                return typed;
            });
        }
        return new Transformer(config, w, manager, computeType);
    }

    /** Tensor name → shard file, for a single-file or sharded checkpoint. */
    public static Map<String, Path> tensorFiles(Path dir) {
        Map<String, Path> files = new TreeMap<>();
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            try {
                JsonNode map = new ObjectMapper().readTree(index.toFile()).path("weight_map");
                map.fields().forEachRemaining(e -> files.put(e.getKey(), dir.resolve(e.getValue().asText())));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + index + ": " + e.getMessage(), e);
            }
            for (Path shard : new java.util.HashSet<>(files.values())) {
                if (!Files.isRegularFile(shard)) {
                    throw new IllegalArgumentException("Shard " + shard.getFileName() + " listed in " + INDEX
                            + " is missing from " + dir);
                }
            }
            return files;
        }
        Path single = dir.resolve(SINGLE);
        if (!Files.isRegularFile(single)) {
            String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                    ? " (found pytorch_model.bin: convert it to safetensors first)" : "";
            throw new IllegalArgumentException("No " + SINGLE + " or " + INDEX + " in " + dir + hint);
        }
        try (SafetensorsReader r = new SafetensorsReader(single)) {
            r.tensors().keySet().forEach(name -> files.put(name, single));
        }
        return files;
    }

    /** Loads every tensor accepted by {@code filter} as float32, owned by {@code manager}. */
    public static Map<String, NDArray> load(Path dir, NDManager manager, Predicate<String> filter) {
        Map<String, Path> files = tensorFiles(dir);
        Map<Path, SafetensorsReader> readers = new LinkedHashMap<>();
        Map<String, NDArray> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                if (!filter.test(e.getKey())) {
                    continue;
                }
                SafetensorsReader r = readers.computeIfAbsent(e.getValue(), SafetensorsReader::new);
                NDArray a = r.loadFloat(e.getKey(), manager);
                a.setName(e.getKey());
                out.put(e.getKey(), a);
            }
        } catch (RuntimeException ex) {
            out.values().forEach(NDArray::close);
            throw ex;
        } finally {
            readers.values().forEach(SafetensorsReader::close);
        }
        return out;
    }
}
