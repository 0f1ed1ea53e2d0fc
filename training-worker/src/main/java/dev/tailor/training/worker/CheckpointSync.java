package dev.tailor.training.worker;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Mirrors the trainer's local checkpoints ({@code checkpoints/step-N/}) to S3 under
 * {@code models/tuned/{modelId}/checkpoints/}, and brings the newest one back before a resumed run. A checkpoint
 * counts in S3 only once its {@code trainer_state.json}, uploaded last, is there.
 */
final class CheckpointSync {
    static final String STATE_FILE = "trainer_state.json";
    private static final int KEEP_REMOTE = 2;

    private final ObjectStore store;
    private final String outputPrefix;
    private final String remotePrefix;
    private final Path localRoot;
    private final Path metricsFile;
    private final String metricsKey;
    private final Set<String> uploaded = new HashSet<>();

    /**
     * @param outputPrefix {@code models/tuned/{modelId}/}
     * @param outputDir    the trainer's output folder (holding {@code checkpoints/} and {@code metrics.jsonl})
     */
    CheckpointSync(ObjectStore store, String outputPrefix, Path outputDir) {
        this.store = store;
        this.outputPrefix = outputPrefix;
        this.remotePrefix = ObjectLayout.checkpoints(outputPrefix);
        this.localRoot = outputDir.resolve("checkpoints");
        this.metricsFile = outputDir.resolve("metrics.jsonl");
        this.metricsKey = ObjectLayout.metrics(outputPrefix);
    }

    /** Downloads the newest complete remote checkpoint and the metrics log; returns its step, if any. */
    Optional<Integer> restore() {
        TreeMap<Integer, String> complete = remoteCheckpoints();
        if (complete.isEmpty()) {
            return Optional.empty();
        }
        Map.Entry<Integer, String> newest = complete.lastEntry();
        store.downloadPrefix(newest.getValue(), localRoot.resolve("step-" + newest.getKey()));
        if (store.exists(metricsKey)) {
            // a worker killed in this folder leaves a longer log (and newer local checkpoints, which the trainer
            // resumes from) than its last sync: keep the longer of the two logs, so no step's line is lost
            Path remote = metricsFile.resolveSibling(metricsFile.getFileName() + ".remote");
            try (InputStream in = store.get(metricsKey)) {
                Files.copy(in, remote, StandardCopyOption.REPLACE_EXISTING);
                if (!Files.exists(metricsFile) || Files.size(remote) > Files.size(metricsFile)) {
                    Files.move(remote, metricsFile, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.delete(remote);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not download " + metricsKey, e);
            }
        }
        uploaded.add("step-" + newest.getKey());
        return Optional.of(newest.getKey());
    }

    /** Uploads local checkpoints not yet in S3 (state file last), then drops remote ones beyond the newest two. */
    synchronized void sync() {
        for (Path dir : localCheckpoints()) {
            String name = dir.getFileName().toString();
            if (uploaded.contains(name)) {
                continue;
            }
            try {
                upload(dir, ObjectLayout.checkpoint(outputPrefix, step(name)));
                uploaded.add(name);
            } catch (NoSuchFileException e) {
                // pruned by the trainer while we copied it: a newer one exists
            } catch (IOException e) {
                throw new UncheckedIOException("could not upload checkpoint " + dir, e);
            }
        }
        if (Files.exists(metricsFile)) {
            try (InputStream in = Files.newInputStream(metricsFile)) {
                store.put(metricsKey, in, Files.size(metricsFile), "application/x-ndjson");
            } catch (IOException e) {
                throw new UncheckedIOException("could not upload " + metricsFile, e);
            }
        }
        TreeMap<Integer, String> remote = remoteCheckpoints();
        while (remote.size() > KEEP_REMOTE) {
            store.deletePrefix(remote.pollFirstEntry().getValue());
        }
    }

    private void upload(Path dir, String prefix) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().equals(STATE_FILE)))
                    .toList();
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                store.put(prefix + file.getFileName(), in, Files.size(file), "application/octet-stream");
            }
        }
    }

    private static int step(String localName) {
        return Integer.parseInt(localName.substring("step-".length()));
    }

    private List<Path> localCheckpoints() {
        if (!Files.isDirectory(localRoot)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(localRoot)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .filter(p -> Files.exists(p.resolve(STATE_FILE))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Remote checkpoints whose state file is there, by step. */
    private TreeMap<Integer, String> remoteCheckpoints() {
        TreeMap<Integer, String> out = new TreeMap<>();
        for (ObjectInfo o : store.list(remotePrefix)) {
            String rest = o.key().substring(remotePrefix.length());
            if (rest.matches("step-\\d+/" + STATE_FILE)) {
                int step = Integer.parseInt(rest.substring(5, rest.indexOf('/')));
                out.put(step, ObjectLayout.checkpoint(outputPrefix, step));
            }
        }
        return out;
    }
}
