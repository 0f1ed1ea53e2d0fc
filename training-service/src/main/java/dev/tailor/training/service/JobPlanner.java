package dev.tailor.training.service;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.StorageSettings;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.training.config.TrainingSettings;
import dev.tailor.training.domain.JobIdentity;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.domain.TemplateCheck;
import dev.tailor.training.storage.TrainingStore;
import dev.tailor.training.worker.WorkerSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a training request against what is in S3 before any compute starts (dataset version, base model, size
 * of the job) and turns it into a worker spec with deterministic ids.
 */
@ApplicationScoped
public class JobPlanner {
    /** Tokens per character of JSONL for byte-level tokenizers (small vocabularies) and for BPE ones. */
    private static final double BYTE_TOKENS_PER_CHAR = 0.8;
    private static final double BPE_TOKENS_PER_CHAR = 0.25;
    private static final int BYTE_LEVEL_MAX_VOCAB = 1024;
    /** Train examples run through the chat template before a job starts (the rest are checked by the worker). */
    private static final int TEMPLATE_CHECK_EXAMPLES = 2_000;

    private final TrainingStore store;
    private final TrainingSettings settings;
    private final StorageSettings storage;

    public JobPlanner(TrainingStore store, TrainingSettings settings, StorageSettings storage) {
        this.store = store;
        this.settings = settings;
        this.storage = storage;
    }

    /** A planned job: what the worker runs and what it is expected to cost. */
    public record Plan(WorkerSpec spec, Preflight preflight) {
    }

    /**
     * The object keys of a version's splits, when the request names them (from the URIs of its event).
     */
    public record Splits(String train, String validation, String test) {
    }

    /**
     * @param jobId          a caller-chosen job id (from a {@code training.requested} event), or null to derive one
     * @param datasetVersion null for the latest version with a train split
     */
    public Plan plan(ObjectLayout layout, String jobId, String datasetId, String datasetVersion, String baseModel,
                     TrainingParams params) {
        return plan(layout, jobId, datasetId, datasetVersion, baseModel, params, null);
    }

    /**
     * @param layout the tenant's layout: the job reads only the tenant's dataset and base model
     * @param splits the version's split keys as the request named them (each must lie under the tenant's prefix), or
     *               null to find them in the layout
     */
    public Plan plan(ObjectLayout layout, String jobId, String datasetId, String datasetVersion, String baseModel,
                     TrainingParams params, Splits splits) {
        if (splits != null) {
            layout.owned("train", splits.train());
            layout.owned("validation", splits.validation());
            layout.owned("test", splits.test());
        }
        String version = datasetVersion != null && !datasetVersion.isBlank() ? datasetVersion
                : store.latestDatasetVersion(layout, datasetId).orElseThrow(() -> new JobRejected(JobRejected.Reason.NOT_FOUND, "Unknown dataset",
                        "dataset '" + datasetId + "' has no cleaned version with a train split in "
                                + store.objects().uri(layout.datasetsRoot()) + "; ingest and clean it first",
                        "datasetId"));
        Splits keys = splits != null ? splits : new Splits(layout.split(datasetId, version, "train"),
                layout.split(datasetId, version, "validation"), layout.split(datasetId, version, "test"));
        if (!store.exists(keys.train())) {
            throw new JobRejected(JobRejected.Reason.NOT_FOUND, "Unknown dataset version", "dataset '" + datasetId + "' version '" + version
                    + "' has no train split at " + store.objects().uri(keys.train())
                    + "; leave datasetVersion out to use the latest version", "datasetVersion");
        }
        ModelConfig shape = baseModelConfig(baseModel, layout);
        params = fitContext(params, shape);
        TrainingStore.SplitStats stats = store.splitStats(keys.train());
        if (stats.examples() == 0) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Empty dataset", "the train split of dataset '" + datasetId + "' version '"
                    + version + "' has no examples", "datasetId");
        }
        TemplateCheck check = checkTemplate(layout, baseModel, keys.train(), params.data().maxSeqLength());
        double tokensPerChar = shape.vocabSize() <= BYTE_LEVEL_MAX_VOCAB ? BYTE_TOKENS_PER_CHAR : BPE_TOKENS_PER_CHAR;
        double meanTokens = check.meanTokens() > 0 ? check.meanTokens() : stats.meanLineChars() * tokensPerChar;
        Preflight preflight = Preflight.estimate(shape, params, stats.examples(), meanTokens,
                settings.preflightFlops()).withWarnings(check.warnings(baseModel, params.data().maxSeqLength()));
        long limit = settings.maxJobMemoryMib() << 20;
        if (preflight.estimatedMemoryBytes() > limit) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Job too large", "the job needs about "
                    + (preflight.estimatedMemoryBytes() >> 20) + " MiB but workers may use "
                    + settings.maxJobMemoryMib() + " MiB (tailor.training.max-job-memory-mib); lower batchSize or "
                    + "maxSeqLength, or use method=lora", "params.batchSize");
        }
        JobIdentity ids = JobIdentity.derive(layout.tenant(), datasetId, version, baseModel, Json.write(params));
        String id = jobId != null && !jobId.isBlank() ? jobId : ids.jobId();
        WorkerSpec spec = new WorkerSpec(id, ids.modelId(), layout.tenant(), datasetId, version, baseModel, params,
                storage.endpoint(), storage.bucket(), storage.region(), layout.baseModel(baseModel),
                keys.train(), keys.validation(), keys.test(), layout.tunedModel(ids.modelId()),
                Path.of(settings.workDir(), "jobs", ids.modelId()).toAbsolutePath().toString(),
                checkpointEvery(preflight.totalSteps()));
        return new Plan(spec, preflight);
    }

    /**
     * Runs the first train examples through the base model's chat template and tokenizer (its tokenizer files are
     * fetched from S3 once, without the weights): a broken template, a model without tokenizer or a template that
     * refuses every example stops the job here instead of in the worker.
     */
    private TemplateCheck checkTemplate(ObjectLayout layout, String baseModel, String trainKey, int maxSeqLength) {
        List<ChatExample> examples = store.readExamples(trainKey, TEMPLATE_CHECK_EXAMPLES);
        Path dir = store.tokenizerFiles(layout, baseModel, Path.of(settings.workDir(), "cache"));
        TemplateCheck check;
        try (TextTokenizer tokenizer = TextTokenizer.load(dir, ModelConfig.read(dir))) {
            check = TemplateCheck.run(tokenizer, ChatTemplate.of(tokenizer, baseModel), examples, maxSeqLength);
        } catch (ChatTemplateException e) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Chat template error", e.getMessage(), "baseModel");
        } catch (IllegalArgumentException e) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Unusable base model", "base model '" + baseModel + "': " + e.getMessage(),
                    "baseModel");
        }
        if (check.checked() > 0 && check.refused() == check.checked()) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "No usable example", "the chat template of base model '" + baseModel
                    + "' refuses all " + check.checked() + " train examples checked; the first: "
                    + check.firstRefusal(), "datasetId");
        }
        return check;
    }

    private ModelConfig baseModelConfig(String baseModel, ObjectLayout layout) {
        try {
            return store.baseModelConfig(layout, baseModel).orElseThrow(() -> new JobRejected(
                    JobRejected.Reason.UNPROCESSABLE, "Unknown base model", "base model '" + baseModel
                    + "' is not in S3 at " + store.objects().uri(layout.baseModel(baseModel))
                    + " (config.json missing); import it there first", "baseModel"));
        } catch (IllegalArgumentException e) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Unusable base model",
                    "base model '" + baseModel + "': " + e.getMessage(), "baseModel");
        }
    }

    /** maxSeqLength beyond the model's context cannot be trained: it is lowered to the context length. */
    static TrainingParams fitContext(TrainingParams p, ModelConfig shape) {
        if (p.data().maxSeqLength() <= shape.maxPositionEmbeddings()) {
            return p;
        }
        return p.toBuilder().maxSeqLength(shape.maxPositionEmbeddings()).build();
    }

    /** About five checkpoints per run, at most every 50 steps (a lost worker repeats at most that much). */
    static int checkpointEvery(int totalSteps) {
        return Math.max(1, Math.min(50, totalSteps / 5));
    }
}
