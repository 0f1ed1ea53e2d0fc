package dev.tailor.training.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.training.domain.JobRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the training controller reads and writes in S3: datasets, base model configs, job records, outputs. Every
 * read is in one tenant's layout (the tenant of the event or caller the job is for).
 */
@ApplicationScoped
public class TrainingStore {


    private static final Pattern STEP = Pattern.compile("step-(\\d+)/");
    private final ObjectStore store;

    public TrainingStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objects() {
        return store;
    }

    /** The most recently written version of a dataset that has a train split. */
    public Optional<String> latestDatasetVersion(ObjectLayout layout, String datasetId) {
        String root = layout.datasetRoot(datasetId);
        return store.list(root).stream()
                .filter(o -> o.key().endsWith("/train.jsonl"))
                .max(Comparator.comparing(ObjectInfo::lastModified))
                .map(o -> o.key().substring(root.length(), o.key().length() - "/train.jsonl".length()));
    }

    public boolean exists(String key) {
        return store.exists(key);
    }

    /**
     * A base model's {@code config.json} as the worker will read it, or empty when no such base model is in S3.
     *
     * @throws IllegalArgumentException when the config describes a model Tailor cannot run
     */
    public Optional<ModelConfig> baseModelConfig(ObjectLayout layout, String baseModel) {
        String key = ObjectLayout.modelConfig(layout.baseModel(baseModel));
        if (!store.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(ModelConfig.fromJson(Json.read(store.getBytes(key), JsonNode.class)));
    }

    /** Example count and mean line length in characters of a split, streamed (the split is never held in memory). */
    public SplitStats splitStats(String splitKey) {
        long lines = 0;
        long chars = 0;
        try (InputStream in = store.get(splitKey);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    lines++;
                    chars += line.length();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read split " + store.uri(splitKey), e);
        }
        return new SplitStats(lines, lines == 0 ? 0 : (double) chars / lines);
    }

    /** The first {@code max} examples of the split at {@code splitKey}. */
    public List<ChatExample> readExamples(String splitKey, int max) {
        try (InputStream in = store.get(splitKey)) {
            return ChatExample.readJsonl(in, store.uri(splitKey), max);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read split " + store.uri(splitKey), e);
        }
    }

    /**
     * A local folder with the base model's tokenizer files and config (no weights), downloaded once; one folder per
     * tenant, as two tenants' base models of the same name are two models.
     */
    public Path tokenizerFiles(ObjectLayout layout, String baseModel, Path cacheRoot) {
        return new LocalModelCache(store, cacheRoot.resolve(layout.tenant())).folder("tokenizers", baseModel,
                layout.baseModel(baseModel), false, LocalModelCache.TOKENIZER_FILES::contains);
    }

    /**
     * Writes the job's record next to its output, and keeps unfinished jobs of every tenant in an index
     * ({@link ObjectLayout#unfinishedJob}) so that a restarted controller finds them.
     */
    public void putJob(JobRecord job) {
        ObjectLayout layout = new ObjectLayout(job.spec().tenant());
        store.putJson(ObjectLayout.jobRecord(layout.tunedModel(job.spec().modelId())), job);
        String index = ObjectLayout.unfinishedJob(job.spec().modelId());
        if (job.jobState().terminal()) {
            store.delete(index);
        } else {
            store.putJson(index, java.util.Map.of("tenant", job.spec().tenant(), "modelId", job.spec().modelId()));
        }
    }

    public Optional<JobRecord> job(ObjectLayout layout, String modelId) {
        String key = ObjectLayout.jobRecord(layout.tunedModel(modelId));
        return store.exists(key) ? Optional.of(store.getJson(key, JobRecord.class)) : Optional.empty();
    }

    /** Job records of a tenant's models (under {@code models/tuned/}). */
    public List<JobRecord> jobs(ObjectLayout layout) {
        return store.list(layout.tunedModelsRoot()).stream()
                .filter(o -> ObjectLayout.isJobRecord(o.key()))
                .map(o -> store.getJson(o.key(), JobRecord.class))
                .toList();
    }

    /** The records of every tenant's unfinished jobs (from the index). */
    public List<JobRecord> unfinishedJobs() {
        return store.list(ObjectLayout.unfinishedJobs()).stream()
                .map(o -> Json.read(store.getBytes(o.key()), JsonNode.class))
                .map(n -> job(new ObjectLayout(n.path("tenant").asText()), n.path("modelId").asText()))
                .flatMap(Optional::stream).toList();
    }

    /** Whether the worker finished this model's output (its manifest is written last). */
    public boolean outputComplete(ObjectLayout layout, String modelId) {
        return store.exists(ObjectLayout.manifest(layout.tunedModel(modelId)));
    }

    /**
     * Deletes a finished model's intermediate checkpoints but the newest {@code keep} (by step); returns how many
     * checkpoints went. Objects of a checkpoint whose state file never arrived go too.
     */
    public int pruneCheckpoints(ObjectLayout layout, String modelId, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be >= 0, was " + keep);
        }
        String root = ObjectLayout.checkpoints(layout.tunedModel(modelId));
        TreeSet<Integer> steps = new TreeSet<>();
        for (ObjectInfo o : store.list(root)) {
            Matcher m = STEP.matcher(o.key().substring(root.length()));
            if (m.lookingAt()) {
                steps.add(Integer.parseInt(m.group(1)));
            }
        }
        int deleted = 0;
        while (steps.size() > keep) {
            store.deletePrefix(ObjectLayout.checkpoint(layout.tunedModel(modelId), steps.pollFirst()));
            deleted++;
        }
        return deleted;
    }

    /** The {@code training.json} summary the worker wrote, if the output is complete. */
    public Optional<JsonNode> trainingSummary(ObjectLayout layout, String modelId) {
        String key = ObjectLayout.trainingSummary(layout.tunedModel(modelId));
        return store.exists(key) ? Optional.of(Json.read(store.getBytes(key), JsonNode.class)) : Optional.empty();
    }

    /**
     * What the upload behind a cleaned dataset asked of training: the options in its ingest manifest
     * ({@code DatasetCleaned.source}); none for an event without one.
     */
    public TrainingOptions trainingOptions(String uploadManifestUri) {
        if (uploadManifestUri == null) {
            return TrainingOptions.none();
        }
        TrainingOptions options = store.getJson(store.keyOf(uploadManifestUri), Manifest.class).training();
        return options == null ? TrainingOptions.none() : options;
    }

    /** Count and mean JSONL line length (characters) of a split. */
    public record SplitStats(long examples, double meanLineChars) {
    }
}
