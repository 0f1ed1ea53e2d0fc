package dev.tailor.common.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.values.AllowedValues;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;

/**
 * Fine-tuning hyper-parameters (not an event), grouped by what they control. The one JSON form, used by the REST API's
 * {@code params}, the events, the worker's spec and {@code tailor model finetune --config}:
 * <pre>{@code
 * {"method": "lora",
 *  "lora": {"rank": 8, "alpha": 16, "dropout": 0.05, "targetModules": ["q_proj", "v_proj"]},
 *  "optimizer": {"learningRate": 0.002, "weightDecay": 0, "maxGradNorm": 1},
 *  "schedule": {"scheduler": "cosine", "warmupRatio": 0.1, "epochs": 2, "maxSteps": 0},
 *  "data": {"batchSize": 8, "gradientAccumulation": 1, "maxSeqLength": 256, "packing": false},
 *  "evaluation": {"evalEvery": 20, "earlyStoppingPatience": 0},
 *  "vocabulary": {"extend": true, "maxNewTokens": 32, "terms": ["Tailorix", "Autovacuum"]},
 *  "seed": 42}
 * }</pre>
 * Every field may be left out and then takes its {@link #defaults()} value. The flat keys of the first version
 * ({@code {"loraRank": 16, "epochs": 3, "learningRate": 1e-4}}) are read as well and mean the same fields; see
 * {@link TrainingParamsJson} for the names.
 *
 * @param method     "lora" (frozen base, trained adapters) or "full" (all weights)
 * @param lora       the adapters; null for method=full (LoRA settings are ignored there)
 * @param optimizer  AdamW
 * @param schedule   how long and with which learning-rate curve
 * @param data       how examples become batches
 * @param evaluation validation during training
 * @param seed       seed of initialisation, shuffling and dropout
 * @param compute    device, precision and backend (where the job runs, not what it learns: the job's ids leave it
 *                   out)
 * @param vocabulary product terms added to the tokenizer as new tokens (method=lora only)
 */
@JsonClassDescription("fine-tuning hyper-parameters; every field may be left out and then takes its default")
public record TrainingParams(
        @AllowedValues({"lora", "full"}) String method,
        @JsonPropertyDescription("LoRA adapters (method=lora only)") Lora lora,
        @JsonPropertyDescription("AdamW") Optimizer optimizer,
        @JsonPropertyDescription("length and learning-rate curve") Schedule schedule,
        @JsonPropertyDescription("how examples become batches") Data data,
        @JsonPropertyDescription("validation during training") Evaluation evaluation,
        long seed,
        @JsonPropertyDescription("where and in which precision the job runs") Compute compute,
        @JsonPropertyDescription("product terms added to the tokenizer as new tokens (method=lora only)")
        Vocabulary vocabulary) {
    public static final List<String> METHODS = List.of("lora", "full");
    public static final List<String> SCHEDULERS = List.of("cosine", "linear", "constant");
    public static final List<String> PRECISIONS = List.of("auto", "fp32", "bf16-mixed", "bf16");
    public static final List<String> BACKENDS = List.of("auto", "local", "kubernetes", "kubeflow");
    /** {@code auto}, {@code cpu}, {@code cuda} (the first GPU) or {@code cuda:N}. */
    public static final String DEVICE_PATTERN = "^(auto|cpu|cuda(:[0-9]{1,2})?)$";

    /**
     * LoRA adapters: {@code W x + (alpha / rank) · B A dropout(x)} on each target projection.
     *
     * @param rank          adapter rank r
     * @param alpha         scaling numerator; scaling = alpha / rank
     * @param dropout       dropout on the adapter input, in [0, 1)
     * @param targetModules linear layers that get adapters
     */
    public record Lora(
            @Min(1) @Max(256) int rank,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("4096") double alpha,
            @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double dropout,
            List<Projection> targetModules) {
        static final Lora DEFAULTS = new Lora(8, 16, 0.05, List.of(Projection.Q_PROJ, Projection.V_PROJ));

        public Lora {
            Checks.between("lora.rank", rank, 1, 256, " for method=lora");
            Checks.between("lora.alpha", alpha, 1e-6, 4096, " for method=lora");
            Checks.between("lora.dropout", dropout, 0, 0.999, " for method=lora");
            if (targetModules == null || targetModules.isEmpty() || targetModules.stream().anyMatch(m -> m == null)) {
                throw new IllegalArgumentException("lora.targetModules must list at least one of " + Projection.names());
            }
            targetModules = List.copyOf(targetModules);
        }
    }

    /**
     * @param learningRate peak learning rate (AdamW)
     * @param weightDecay  AdamW decoupled weight decay
     * @param maxGradNorm  gradient clipping norm; 0 = no clipping
     */
    public record Optimizer(
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double learningRate,
            @DecimalMin("0") @DecimalMax("1") double weightDecay,
            @DecimalMin("0") @DecimalMax("1e6") @JsonPropertyDescription("0 = no clipping") double maxGradNorm) {
        static final Optimizer DEFAULTS = new Optimizer(2e-3, 0.0, 1.0);

        public Optimizer {
            Checks.between("optimizer.learningRate", learningRate, 1e-9, 1.0, "");
            Checks.between("optimizer.weightDecay", weightDecay, 0, 1, "");
            Checks.between("optimizer.maxGradNorm", maxGradNorm, 0, 1e6, " (0 = no clipping)");
        }
    }

    /**
     * @param scheduler   "cosine", "linear" or "constant" decay after warm-up
     * @param warmupRatio fraction of steps with linear warm-up, in [0, 1)
     * @param epochs      passes over the training split
     * @param maxSteps    optimizer steps; 0 = derive from epochs
     */
    public record Schedule(
            @AllowedValues({"cosine", "linear", "constant"}) String scheduler,
            @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double warmupRatio,
            @Min(1) @Max(1000) int epochs,
            @Min(0) @Max(10_000_000) @JsonPropertyDescription("0 = derive from epochs") int maxSteps) {
        static final Schedule DEFAULTS = new Schedule("cosine", 0.1, 2, 0);

        public Schedule {
            Checks.oneOf("schedule.scheduler", scheduler, SCHEDULERS);
            Checks.between("schedule.warmupRatio", warmupRatio, 0, 0.999, "");
            Checks.between("schedule.epochs", epochs, 1, 1000, "");
            Checks.between("schedule.maxSteps", maxSteps, 0, 10_000_000, " (0 = derive from epochs)");
        }
    }

    /**
     * @param batchSize            examples per micro-batch
     * @param gradientAccumulation micro-batches per optimizer step
     * @param maxSeqLength         tokens per example; longer examples are truncated
     * @param packing              pack several short examples into one sequence
     */
    public record Data(
            @Min(1) @Max(4096) int batchSize,
            @Min(1) @Max(1024) int gradientAccumulation,
            @Min(8) @Max(131_072) int maxSeqLength,
            boolean packing) {
        static final Data DEFAULTS = new Data(8, 1, 256, false);

        public Data {
            Checks.between("data.batchSize", batchSize, 1, 4096, "");
            Checks.between("data.gradientAccumulation", gradientAccumulation, 1, 1024, "");
            Checks.between("data.maxSeqLength", maxSeqLength, 8, 131_072, "");
        }
    }

    /**
     * @param evalEvery             validate every N optimizer steps; 0 = only at the end
     * @param earlyStoppingPatience stop after N validations without improvement; 0 = never stop early
     */
    public record Evaluation(
            @Min(0) @Max(10_000_000) @JsonPropertyDescription("0 = only at the end") int evalEvery,
            @Min(0) @Max(10_000) @JsonPropertyDescription("0 = never stop early") int earlyStoppingPatience) {
        static final Evaluation DEFAULTS = new Evaluation(20, 0);

        public Evaluation {
            Checks.between("evaluation.evalEvery", evalEvery, 0, 10_000_000, " (0 = only at the end)");
            Checks.between("evaluation.earlyStoppingPatience", earlyStoppingPatience, 0, 10_000,
                    " (0 = never stop early)");
        }
    }


    /**
     * Where and how a job computes. Nothing here changes what the job learns beyond numerics, so the job's ids
     * leave it out: the same request on another backend is the same job.
     *
     * @param device           {@code auto} (a GPU when the backend gives one, else the CPU), {@code cpu},
     *                         {@code cuda} or {@code cuda:N}
     * @param precision        {@code auto} (fp32 on a CPU, bf16-mixed on a GPU), {@code fp32}, {@code bf16-mixed}
     *                         (bf16 compute, fp32 master weights of the trained parameters) or {@code bf16} (every
     *                         weight and gradient in bf16: half the memory, for full fine-tuning of models whose fp32
     *                         masters do not fit); bf16 needs a GPU
     * @param backend          {@code auto} (chosen from the preflight estimate), {@code local} (a worker process
     *                         next to the service), {@code kubernetes} (a batch/v1 Job on a GPU node) or
     *                         {@code kubeflow} (a Kubeflow Trainer TrainJob across nodes)
     * @param nodes            nodes of a kubeflow job (1 for the others)
     * @param processesPerNode GPUs (training processes) per node of a kubeflow job (1 for the others)
     */
    public record Compute(
            @JsonPropertyDescription("auto, cpu, cuda or cuda:N") String device,
            @AllowedValues({"auto", "fp32", "bf16-mixed", "bf16"}) String precision,
            @AllowedValues({"auto", "local", "kubernetes", "kubeflow"}) String backend,
            @Min(1) @Max(64) int nodes,
            @Min(1) @Max(16) int processesPerNode) {
        static final Compute DEFAULTS = new Compute("auto", "auto", "auto", 1, 1);

        public Compute {
            if (device == null || !device.matches(DEVICE_PATTERN)) {
                throw new IllegalArgumentException("compute.device must be auto, cpu, cuda or cuda:N (N the GPU's"
                        + " index), got '" + device + "'");
            }
            Checks.oneOf("compute.precision", precision, PRECISIONS);
            Checks.oneOf("compute.backend", backend, BACKENDS);
            Checks.between("compute.nodes", nodes, 1, 64, "");
            Checks.between("compute.processesPerNode", processesPerNode, 1, 16, "");
            if (device.equals("cpu") && precision.startsWith("bf16")) {
                throw new IllegalArgumentException("compute.precision " + precision + " needs a GPU (device cuda or"
                        + " auto); on a CPU use fp32");
            }
            if (nodes * processesPerNode > 1 && !(backend.equals("kubeflow") || backend.equals("auto"))) {
                throw new IllegalArgumentException("compute.nodes " + nodes + " x processesPerNode "
                        + processesPerNode + " needs backend kubeflow (local and kubernetes jobs use one device)");
            }
        }

        /** GPUs (processes) of the whole job. */
        public int worldSize() {
            return nodes * processesPerNode;
        }
    }

    /**
     * New tokens for product terms: each term the base tokenizer splits into two or more sub-tokens becomes one token
     * whose embedding starts as the mean of its sub-tokens' embeddings; the embedding and output layer then train in
     * full with the adapter and are saved with it (PEFT {@code modules_to_save}), with the extended tokenizer.
     *
     * @param extend       whether to add the terms
     * @param maxNewTokens most terms that may become new tokens (a job with more is refused)
     * @param terms        the terms, e.g. the term column of a glossary; a trailing qualifier in parentheses
     *                     ("Autovacuum (process)") is left out; none: the terms of the glossary examples in the
     *                     dataset's train split (a glossary uploaded with the data)
     */
    public record Vocabulary(
            boolean extend,
            @Min(1) @Max(MAX_NEW_TOKENS) int maxNewTokens,
            @JsonPropertyDescription("the product terms to add") List<String> terms) {
        static final Vocabulary DEFAULTS = new Vocabulary(false, 32, List.of());

        public Vocabulary {
            Checks.between("vocabulary.maxNewTokens", maxNewTokens, 1, MAX_NEW_TOKENS, "");
            terms = terms == null ? List.of() : List.copyOf(terms.stream().map(t -> t == null ? "" : t.strip())
                    .toList());
            if (terms.size() > MAX_TERMS) {
                throw new IllegalArgumentException("vocabulary.terms lists " + terms.size() + " terms; at most "
                        + MAX_TERMS + " are read");
            }
            for (String t : terms) {
                if (t.isEmpty() || t.length() > MAX_TERM_LENGTH || t.chars().anyMatch(Character::isISOControl)) {
                    throw new IllegalArgumentException("vocabulary.terms entry '" + t + "' must be 1 to "
                            + MAX_TERM_LENGTH + " characters without control characters");
                }
            }
        }
    }

    /** Most new tokens a job may add. */
    public static final int MAX_NEW_TOKENS = 1024;
    /** Most terms {@code vocabulary.terms} may list. */
    public static final int MAX_TERMS = 4096;
    /** Longest term. */
    public static final int MAX_TERM_LENGTH = 64;

    private static final TrainingParams DEFAULTS = new TrainingParams("lora", Lora.DEFAULTS, Optimizer.DEFAULTS,
            Schedule.DEFAULTS, Data.DEFAULTS, Evaluation.DEFAULTS, 42, Compute.DEFAULTS, Vocabulary.DEFAULTS);

    /** A group left null takes its defaults; {@code lora} is dropped for method=full and defaulted for lora. */
    public TrainingParams {
        Checks.oneOf("method", method, METHODS);
        lora = "lora".equals(method) ? (lora == null ? Lora.DEFAULTS : lora) : null;
        optimizer = optimizer == null ? Optimizer.DEFAULTS : optimizer;
        schedule = schedule == null ? Schedule.DEFAULTS : schedule;
        data = data == null ? Data.DEFAULTS : data;
        evaluation = evaluation == null ? Evaluation.DEFAULTS : evaluation;
        compute = compute == null ? Compute.DEFAULTS : compute;
        vocabulary = vocabulary == null ? Vocabulary.DEFAULTS : vocabulary;
        if (vocabulary.extend() && !"lora".equals(method)) {
            throw new IllegalArgumentException("vocabulary.extend needs method=lora: the new embeddings are saved "
                    + "with the adapter");
        }
    }

    /** Parameters that add no tokens (the vocabulary group at its defaults). */
    public TrainingParams(String method, Lora lora, Optimizer optimizer, Schedule schedule, Data data,
                          Evaluation evaluation, long seed, Compute compute) {
        this(method, lora, optimizer, schedule, data, evaluation, seed, compute, null);
    }

    /**
     * LoRA r=8, alpha=16, dropout 0.05 on q_proj and v_proj; 2 epochs, lr 2e-3, batch 8, no accumulation,
     * 256 tokens, 10 % warm-up then cosine, no weight decay, clip 1.0, seed 42, validation every 20 steps.
     */
    public static TrainingParams defaults() {
        return DEFAULTS;
    }

    /**
     * Reads the JSON form (nested, or the first version's flat keys) over {@link #defaults()}; unknown keys are
     * ignored, as events require (new optional fields must not break old readers).
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static TrainingParams fromJson(JsonNode json) {
        return TrainingParamsJson.read(DEFAULTS, json, false);
    }

    /**
     * These parameters with the fields given in {@code json} replaced (nested or flat keys). Unknown keys, wrong
     * types and out-of-range values are refused with an {@link InvalidParameter} naming the key as it was given.
     */
    public TrainingParams with(JsonNode json) {
        return TrainingParamsJson.read(this, json, true);
    }

    /** These parameters with the compute group at its defaults: what decides the job's ids. */
    public TrainingParams withoutCompute() {
        return new TrainingParams(method, lora, optimizer, schedule, data, evaluation, seed, Compute.DEFAULTS,
                vocabulary);
    }

    /** Whether adapters are trained (method=lora) rather than all weights. */
    public boolean usesLora() {
        return lora != null;
    }

    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A training parameter that cannot be used; {@link #field()} is the key as the input named it. */
    public static final class InvalidParameter extends IllegalArgumentException {
        private final String field;

        public InvalidParameter(String field, String message, Throwable cause) {
            super(message, cause);
            this.field = field;
        }

        /** The offending key, e.g. {@code loraRank} or {@code lora.rank}; {@code params} for the whole object. */
        public String field() {
            return field;
        }
    }

    /** Field by field, starting from existing parameters; {@link #build()} validates. */
    public static final class Builder {
        private String method;
        private long seed;
        private int loraRank;
        private double loraAlpha;
        private double loraDropout;
        private List<Projection> targetModules;
        private double learningRate;
        private double weightDecay;
        private double maxGradNorm;
        private String scheduler;
        private double warmupRatio;
        private int epochs;
        private int maxSteps;
        private int batchSize;
        private int gradientAccumulation;
        private int maxSeqLength;
        private boolean packing;
        private int evalEvery;
        private int earlyStoppingPatience;
        private String device;
        private String precision;
        private String backend;
        private int nodes;
        private int processesPerNode;
        private boolean extendVocabulary;
        private int maxNewTokens;
        private List<String> terms;

        private Builder(TrainingParams p) {
            vocabulary(p.vocabulary);
            method = p.method;
            seed = p.seed;
            lora(p.lora == null ? Lora.DEFAULTS : p.lora);
            optimizer(p.optimizer);
            schedule(p.schedule);
            data(p.data);
            evaluation(p.evaluation);
            compute(p.compute);
        }

        public Builder compute(Compute compute) {
            device = compute.device();
            precision = compute.precision();
            backend = compute.backend();
            nodes = compute.nodes();
            processesPerNode = compute.processesPerNode();
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        public Builder precision(String precision) {
            this.precision = precision;
            return this;
        }

        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        public Builder nodes(int nodes) {
            this.nodes = nodes;
            return this;
        }

        public Builder processesPerNode(int processesPerNode) {
            this.processesPerNode = processesPerNode;
            return this;
        }

        public Builder vocabulary(Vocabulary vocabulary) {
            extendVocabulary = vocabulary.extend();
            maxNewTokens = vocabulary.maxNewTokens();
            terms = vocabulary.terms();
            return this;
        }

        public Builder extendVocabulary(boolean extend) {
            this.extendVocabulary = extend;
            return this;
        }

        public Builder maxNewTokens(int maxNewTokens) {
            this.maxNewTokens = maxNewTokens;
            return this;
        }

        public Builder terms(List<String> terms) {
            this.terms = terms;
            return this;
        }

        public Builder method(String method) {
            this.method = method;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder lora(Lora lora) {
            loraRank = lora.rank();
            loraAlpha = lora.alpha();
            loraDropout = lora.dropout();
            targetModules = lora.targetModules();
            return this;
        }

        public Builder loraRank(int rank) {
            this.loraRank = rank;
            return this;
        }

        public Builder loraAlpha(double alpha) {
            this.loraAlpha = alpha;
            return this;
        }

        public Builder loraDropout(double dropout) {
            this.loraDropout = dropout;
            return this;
        }

        public Builder targetModules(Projection... modules) {
            this.targetModules = List.of(modules);
            return this;
        }

        public Builder targetModules(List<Projection> modules) {
            this.targetModules = modules;
            return this;
        }

        public Builder optimizer(Optimizer optimizer) {
            learningRate = optimizer.learningRate();
            weightDecay = optimizer.weightDecay();
            maxGradNorm = optimizer.maxGradNorm();
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder maxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        public Builder schedule(Schedule schedule) {
            scheduler = schedule.scheduler();
            warmupRatio = schedule.warmupRatio();
            epochs = schedule.epochs();
            maxSteps = schedule.maxSteps();
            return this;
        }

        public Builder scheduler(String scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder warmupRatio(double warmupRatio) {
            this.warmupRatio = warmupRatio;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder maxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        public Builder data(Data data) {
            batchSize = data.batchSize();
            gradientAccumulation = data.gradientAccumulation();
            maxSeqLength = data.maxSeqLength();
            packing = data.packing();
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder gradientAccumulation(int gradientAccumulation) {
            this.gradientAccumulation = gradientAccumulation;
            return this;
        }

        public Builder maxSeqLength(int maxSeqLength) {
            this.maxSeqLength = maxSeqLength;
            return this;
        }

        public Builder packing(boolean packing) {
            this.packing = packing;
            return this;
        }

        public Builder evaluation(Evaluation evaluation) {
            evalEvery = evaluation.evalEvery();
            earlyStoppingPatience = evaluation.earlyStoppingPatience();
            return this;
        }

        public Builder evalEvery(int evalEvery) {
            this.evalEvery = evalEvery;
            return this;
        }

        public Builder earlyStoppingPatience(int earlyStoppingPatience) {
            this.earlyStoppingPatience = earlyStoppingPatience;
            return this;
        }

        /** The parameters; LoRA settings are checked (and kept) only for method=lora. */
        public TrainingParams build() {
            Checks.oneOf("method", method, METHODS);
            Lora lora = "lora".equals(method) ? new Lora(loraRank, loraAlpha, loraDropout, targetModules) : null;
            return new TrainingParams(method, lora, new Optimizer(learningRate, weightDecay, maxGradNorm),
                    new Schedule(scheduler, warmupRatio, epochs, maxSteps),
                    new Data(batchSize, gradientAccumulation, maxSeqLength, packing),
                    new Evaluation(evalEvery, earlyStoppingPatience), seed,
                    new Compute(device, precision, backend, nodes, processesPerNode),
                    new Vocabulary(extendVocabulary, maxNewTokens, terms));
        }
    }
}
