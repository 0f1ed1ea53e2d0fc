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
import dev.tailor.training.domain.BackendKind;
import dev.tailor.training.domain.BackendPolicy;
import dev.tailor.training.domain.JobContext;
import dev.tailor.training.domain.JobIdentity;
import dev.tailor.training.domain.Placement;
import dev.tailor.training.domain.JobRejected;
import dev.tailor.training.domain.Preflight;
import dev.tailor.training.domain.TemplateCheck;
import dev.tailor.training.domain.TrainLengths;
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

    private final java.util.function.Supplier<java.util.Set<BackendKind>> offered;

    public JobPlanner(TrainingStore store, TrainingSettings settings, StorageSettings storage,
                      JobController controller) {
        this.store = store;
        this.settings = settings;
        this.storage = storage;
        this.offered = controller::offered;
    }

    /** A planned job: what the worker runs, what it is expected to cost and where it runs. */
    public record Plan(WorkerSpec spec, Preflight preflight, Placement placement) {
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
        return plan(layout, jobId, datasetId, datasetVersion, baseModel, params, null, JobContext.NONE);
    }

    /**
     * @param layout  the tenant's layout: the job reads only the tenant's dataset, base model and parent model (a
     *                parent of another tenant is unknown)
     * @param splits  the version's split keys as the request named them (each must lie under the tenant's prefix),
     *                or null to find them in the layout
     * @param context a parent model to continue from, the sweep, evaluation settings
     */
    public Plan plan(ObjectLayout layout, String jobId, String datasetId, String datasetVersion, String baseModel,
                     TrainingParams params, Splits splits, JobContext context) {
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
        String parentPrefix = context.parentModel() == null ? null : parent(layout, context.parentModel(), baseModel, params);
        params = fitContext(params, shape);
        TrainingStore.SplitStats stats = store.splitStats(keys.train());
        if (stats.examples() == 0) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Empty dataset", "the train split of dataset '" + datasetId + "' version '"
                    + version + "' has no examples", "datasetId");
        }
        int maxSeqLength = params.data().maxSeqLength();
        TemplateCheck check = checkTemplate(layout, baseModel, keys.train(), maxSeqLength, stats.examples());
        double tokensPerChar = shape.vocabSize() <= BYTE_LEVEL_MAX_VOCAB ? BYTE_TOKENS_PER_CHAR : BPE_TOKENS_PER_CHAR;
        double meanTokens = check.meanTokens() > 0 ? check.meanTokens() : stats.meanLineChars() * tokensPerChar;
        List<String> warnings = new java.util.ArrayList<>(check.warnings(baseModel));
        TrainLengths lengths = profileLengths(layout, datasetId, version, splits, baseModel, maxSeqLength)
                .orElse(check.lengths());
        lengths.warning(baseModel, maxSeqLength).ifPresent(warnings::add);
        if (stats.examples() < settings.minTrainExamples()) {
            warnings.add(String.format(java.util.Locale.ROOT, "the train split has only %,d examples, fewer than %,d "
                    + "(tailor.training.min-train-examples): too few to fine-tune reliably; add data or keep the epochs "
                    + "low", stats.examples(), settings.minTrainExamples()));
        }
        if (settings.preflightWarningsAreErrors() && !warnings.isEmpty()) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Preflight warnings", "the job was not started "
                    + "because tailor.training.preflight-warnings-are-errors is on: " + String.join("; ", warnings),
                    "datasetId");
        }
        Preflight preflight = Preflight.estimate(shape, params, stats.examples(), meanTokens,
                settings.preflightFlops()).withWarnings(warnings);
        // where it runs, checked against that backend's memory before anything starts (refused with the numbers)
        Placement placement = policy().place(shape, params, preflight, meanTokens);
        preflight = preflight.withMemory(placement.memory());
        // the ids leave compute out (the same work asked for on another backend is the same job) but take the parent
        // in: the same data and parameters from another start differ
        JobIdentity ids = JobIdentity.derive(layout.tenant(), datasetId, version, baseModel,
                Json.write(params.withoutCompute())
                + (context.parentModel() == null ? "" : "\nparent=" + context.parentModel()));
        String id = jobId != null && !jobId.isBlank() ? jobId : ids.jobId();
        WorkerSpec spec = new WorkerSpec(id, ids.modelId(), layout.tenant(), datasetId, version, baseModel, params,
                storage.endpoint(), storage.bucket(), storage.region(), layout.baseModel(baseModel),
                keys.train(), keys.validation(), keys.test(), layout.tunedModel(ids.modelId()),
                Path.of(settings.workDir(), "jobs", ids.modelId()).toAbsolutePath().toString(),
                checkpointEvery(preflight.totalSteps()), context.parentModel(), parentPrefix, context.sweep(),
                context.evaluation(), null);
        return new Plan(spec, preflight, placement);
    }

    /** The backend policy with this platform's limits and the backends it offers. */
    private BackendPolicy policy() {
        java.util.Set<BackendKind> on = offered.get();
        BackendKind fixed = settings.backend().equals("auto") ? null : BackendKind.of(settings.backend());
        return new BackendPolicy(new BackendPolicy.Limits(fixed, on.contains(BackendKind.KUBERNETES),
                on.contains(BackendKind.KUBEFLOW), settings.maxJobMemoryMib() << 20, settings.localMaxSeconds(),
                settings.gpuMemoryMib() << 20, settings.gpusPerNode(), settings.maxNodes()));
    }

    /**
     * Runs the first train examples through the base model's chat template and tokenizer (its tokenizer files are
     * fetched from S3 once, without the weights): a broken template, a model without tokenizer or a template that
     * refuses every example stops the job here instead of in the worker.
     */
    private TemplateCheck checkTemplate(ObjectLayout layout, String baseModel, String trainKey, int maxSeqLength,
                                        long splitExamples) {
        List<ChatExample> examples = store.readExamples(trainKey, TEMPLATE_CHECK_EXAMPLES);
        Path dir = store.tokenizerFiles(layout, baseModel, Path.of(settings.workDir(), "cache"));
        TemplateCheck check;
        try (TextTokenizer tokenizer = TextTokenizer.load(dir, ModelConfig.read(dir))) {
            check = TemplateCheck.run(tokenizer, ChatTemplate.of(tokenizer, baseModel), examples, maxSeqLength,
                    splitExamples);
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

    /**
     * The train lengths of the version's profile.json when it counted tokens with this base model at this
     * maxSeqLength (the whole split, counted while cleaning); empty otherwise, or when the request names its own
     * split objects.
     */
    private java.util.Optional<TrainLengths> profileLengths(ObjectLayout layout, String datasetId, String version,
                                                            Splits splits, String baseModel, int maxSeqLength) {
        String key = layout.profile(datasetId, version);
        if (splits != null || !store.exists(key)) {
            return java.util.Optional.empty();
        }
        try {
            return TrainLengths.fromProfile(Json.read(store.objects().getBytes(key),
                    com.fasterxml.jackson.databind.JsonNode.class), baseModel, maxSeqLength);
        } catch (RuntimeException e) {
            return java.util.Optional.empty(); // an unreadable profile: count in preflight instead
        }
    }

    /**
     * The parent's folder, after checking it can be continued: a LoRA adapter that is in S3, trained on this base
     * model, and a LoRA job (its rank, alpha and targets come from the parent's adapter).
     */
    private String parent(ObjectLayout layout, String parentModel, String baseModel, TrainingParams params) {
        String prefix = layout.tunedModel(parentModel);
        if (!store.exists(prefix + "adapter_config.json")) {
            throw new JobRejected(JobRejected.Reason.NOT_FOUND, "Unknown parent model", "parent model '"
                    + parentModel + "' has no LoRA adapter at " + store.objects().uri(prefix)
                    + " (only LoRA adapters can be trained further)", "parentModel");
        }
        if (!params.usesLora()) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Parent needs LoRA", "continuing from parent "
                    + "model '" + parentModel + "' trains its adapter further: use method=lora", "params.method");
        }
        String parentBase = store.trainingSummary(layout, parentModel).map(j -> j.path("baseModel").asText(null))
                .orElse(null);
        if (parentBase != null && !parentBase.equals(baseModel)) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Other base model", "parent model '"
                    + parentModel + "' was trained on base model '" + parentBase + "', not '" + baseModel
                    + "'; name baseModel '" + parentBase + "' or leave it out", "baseModel");
        }
        return prefix;
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
