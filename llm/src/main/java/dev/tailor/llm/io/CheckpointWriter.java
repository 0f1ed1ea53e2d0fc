package dev.tailor.llm.io;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a full Hugging Face checkpoint folder: config.json, safetensors (optionally sharded), tokenizer files. */
public final class CheckpointWriter {

    /** Tokenizer and generation files copied verbatim from the source folder when present. */
    public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json");

    private CheckpointWriter() {
    }

    /** F32, one {@code model.safetensors}; tokenizer files copied from {@code tokenizerDir} (nullable). */
    public static void save(Path dir, Transformer model, Path tokenizerDir) {
        save(dir, model.config(), model.parameters(), tokenizerDir, SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
    }

    /**
     * @param maxShardBytes split into {@code model-0000i-of-0000n.safetensors} + index when the weights exceed it
     */
    public static void save(Path dir, ModelConfig config, Map<String, NDArray> weights, Path tokenizerDir,
                            SafetensorsWriter.Dtype dtype, long maxShardBytes) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config.toJson());
            int width = dtype == SafetensorsWriter.Dtype.F32 ? 4 : 2;
            List<Map<String, NDArray>> shards = new ArrayList<>();
            Map<String, NDArray> current = new LinkedHashMap<>();
            long size = 0;
            long total = 0;
            for (Map.Entry<String, NDArray> e : new TreeMap<>(weights).entrySet()) {
                long bytes = e.getValue().size() * width;
                if (!current.isEmpty() && size + bytes > maxShardBytes) {
                    shards.add(current);
                    current = new LinkedHashMap<>();
                    size = 0;
                }
                current.put(e.getKey(), e.getValue());
                size += bytes;
                total += bytes;
            }
            shards.add(current);
            Map<String, String> meta = Map.of("format", "pt");
            Files.deleteIfExists(dir.resolve(CheckpointLoader.INDEX));
            if (shards.size() == 1) {
                SafetensorsWriter.write(dir.resolve(CheckpointLoader.SINGLE), shards.get(0), dtype, meta);
            } else {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode index = mapper.createObjectNode();
                index.putObject("metadata").put("total_size", total);
                ObjectNode map = index.putObject("weight_map");
                for (int i = 0; i < shards.size(); i++) {
                    String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                    SafetensorsWriter.write(dir.resolve(name), shards.get(i), dtype, meta);
                    shards.get(i).keySet().forEach(k -> map.put(k, name));
                }
                Files.deleteIfExists(dir.resolve(CheckpointLoader.SINGLE));
                Files.writeString(dir.resolve(CheckpointLoader.INDEX),
                        mapper.writerWithDefaultPrettyPrinter().writeValueAsString(index));
            }
            if (tokenizerDir != null && !tokenizerDir.toAbsolutePath().equals(dir.toAbsolutePath())) {
                copyTokenizer(tokenizerDir, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies a checkpoint folder's files as they are: config.json, the safetensors weights (and shard index) and the
     * tokenizer files. Nothing is copied when {@code from} and {@code to} are the same folder.
     */
    public static void copyCheckpoint(Path from, Path to) throws IOException {
        if (from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
            return;
        }
        Files.createDirectories(to);
        Files.copy(from.resolve("config.json"), to.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        copyTokenizer(from, to);
        if (Files.exists(from.resolve(CheckpointLoader.INDEX))) {
            Files.copy(from.resolve(CheckpointLoader.INDEX), to.resolve(CheckpointLoader.INDEX),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        for (Path w : new java.util.TreeSet<>(CheckpointLoader.tensorFiles(from).values())) {
            Files.copy(w, to.resolve(w.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies the tokenizer files present in {@code from} into {@code to}. */
    public static void copyTokenizer(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String f : TOKENIZER_FILES) {
            if (Files.isRegularFile(from.resolve(f))) {
                Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
