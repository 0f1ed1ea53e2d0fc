package dev.tailor.training;

import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The tiny-llama fixture and small chat splits in S3, for the tests that run real workers. */
public final class TinyJobs {
    private static final Path TINY_LLAMA = Path.of("src/test/resources/tiny-llama");

    private TinyJobs() {
    }

    /** The fixture as base model {@code name} (HF layout under {@code models/base/}). */
    public static void uploadBaseModel(ObjectStore store, ObjectLayout layout, String name) {
        try {
            for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
                store.putBytes(layout.baseModel(name) + file, Files.readAllBytes(TINY_LLAMA.resolve(file)),
                        "application/octet-stream");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same {@code examples} chat examples as train, validation and test split of {@code dataset}/{@code version}. */
    public static void uploadSplits(ObjectStore store, ObjectLayout layout, String dataset, String version,
                                    int examples) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < examples; i++) {
            lines.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"a").append(i).append("\"}]}\n");
        }
        for (String split : List.of("train", "validation", "test")) {
            store.putString(layout.split(dataset, version, split), lines.toString(), "application/x-ndjson");
        }
    }
}
