package dev.tailor.common.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Local copies of models kept in S3. A folder is downloaded into a temporary sibling and renamed when complete,
 * so a crash never leaves a half model that looks whole. Only the files directly under the prefix are fetched
 * (a tuned model's {@code checkpoints/} stay in S3). Used by every stage that runs a model (training worker,
 * eval, inference).
 */
public final class LocalModelCache {
    /** The files of a model that its tokenizer and chat template need (no weights). */
    public static final java.util.Set<String> TOKENIZER_FILES = java.util.Set.of("config.json", "generation_config.json",
            "tokenizer.json", "tokenizer_config.json");

    private final ObjectStore store;
    private final Path root;

    public LocalModelCache(ObjectStore store, Path root) {
        this.store = store;
        this.root = root;
    }

    /**
     * The local folder holding the objects directly under {@code prefix}; downloaded on first use.
     *
     * @param kind  "base" or "tuned"
     * @param name  folder name under {@code root/kind}
     * @param fresh download again even when a local copy exists (tuned models are immutable, base models too)
     */
    public Path folder(String kind, String name, String prefix, boolean fresh) {
        return folder(kind, name, prefix, fresh, file -> true);
    }

    /**
     * Like {@link #folder(String, String, String, boolean)} with only the files whose names {@code include}
     * accepts (e.g. a model's tokenizer files without its weights).
     */
    public synchronized Path folder(String kind, String name, String prefix, boolean fresh,
                                    Predicate<String> include) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        Path target = root.resolve(kind).resolve(safe);
        if (Files.isDirectory(target) && !fresh) {
            return target;
        }
        List<ObjectInfo> files = store.list(prefix).stream()
                .filter(o -> o.key().length() > prefix.length() && o.key().indexOf('/', prefix.length()) < 0)
                .filter(o -> include.test(o.key().substring(prefix.length())))
                .toList();
        if (files.isEmpty()) {
            throw new StorageException("no objects under " + store.uri(prefix));
        }
        Path tmp = root.resolve(kind).resolve("." + safe + ".partial");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            for (ObjectInfo o : files) {
                try (InputStream in = store.get(o.key())) {
                    Files.copy(in, tmp.resolve(o.key().substring(prefix.length())), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not download " + store.uri(prefix) + " to " + target, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
