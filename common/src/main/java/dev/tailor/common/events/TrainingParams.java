package dev.tailor.common.events;

import dev.tailor.common.values.Checks;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.values.AllowedValues;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * Fine-tuning hyper-parameters (not an event). In JSON every field may be left out: missing fields take the
 * values of {@link #defaults()}.
 *
 * @param method               "lora" (frozen base, trained adapters) or "full" (all weights)
 * @param loraRank             adapter rank r (lora only)
 * @param loraAlpha            adapter scaling numerator; scaling = alpha / r (lora only)
 * @param loraDropout          dropout on the adapter input, in [0, 1) (lora only)
 * @param targetModules        linear layers that get adapters, e.g. q_proj, v_proj (lora only)
 * @param epochs               passes over the training split
 * @param maxSteps             optimizer steps; 0 = derive from epochs
 * @param learningRate         peak learning rate (AdamW)
 * @param batchSize            examples per micro-batch
 * @param gradientAccumulation micro-batches per optimizer step
 * @param maxSeqLength         tokens per example; longer examples are truncated
 * @param warmupRatio          fraction of steps with linear warm-up, in [0, 1)
 * @param scheduler            "cosine", "linear" or "constant" decay after warm-up
 * @param weightDecay          AdamW decoupled weight decay
 * @param maxGradNorm          gradient clipping norm; 0 = no clipping
 * @param seed                 seed of initialisation, shuffling and dropout
 * @param evalEvery            validate every N optimizer steps; 0 = only at the end
 * @param earlyStoppingPatience stop after N validations without improvement; 0 = never stop early
 * @param packing              pack several short examples into one sequence
 */
@JsonClassDescription("fine-tuning hyper-parameters; every field may be left out and then takes its default")
public record TrainingParams(
        @AllowedValues({"lora", "full"}) String method,
        @Min(1) @Max(256) int loraRank,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("4096") double loraAlpha,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double loraDropout,
        @AllowedValues({"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"})
        List<String> targetModules,
        @Min(1) @Max(1000) int epochs,
        @Min(0) @Max(10_000_000) @JsonPropertyDescription("0 = derive from epochs") int maxSteps,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double learningRate,
        @Min(1) @Max(4096) int batchSize,
        @Min(1) @Max(1024) int gradientAccumulation,
        @Min(8) @Max(131_072) int maxSeqLength,
        @DecimalMin("0") @DecimalMax(value = "1", inclusive = false) double warmupRatio,
        @AllowedValues({"cosine", "linear", "constant"}) String scheduler,
        @DecimalMin("0") @DecimalMax("1") double weightDecay,
        @DecimalMin("0") @DecimalMax("1e6") @JsonPropertyDescription("0 = no clipping") double maxGradNorm,
        long seed,
        @Min(0) @Max(10_000_000) @JsonPropertyDescription("0 = only at the end") int evalEvery,
        @Min(0) @Max(10_000) @JsonPropertyDescription("0 = never stop early") int earlyStoppingPatience,
        boolean packing) {
    public static final List<String> METHODS = List.of("lora", "full");
    public static final List<String> SCHEDULERS = List.of("cosine", "linear", "constant");
    /** Linear layers of Llama/Qwen2 decoder blocks that can carry LoRA adapters. */
    public static final Set<String> TARGET_MODULES = Set.of("q_proj", "k_proj", "v_proj", "o_proj",
            "gate_proj", "up_proj", "down_proj");

    private static final TrainingParams DEFAULTS = new TrainingParams("lora", 8, 16, 0.05, List.of("q_proj", "v_proj"),
            2, 0, 2e-3, 8, 1, 256, 0.1, "cosine", 0.0, 1.0, 42, 20, 0, false);

    public TrainingParams {
        Checks.oneOf("method", method, METHODS);
        boolean lora = "lora".equals(method);
        if (lora) {
            Checks.between("loraRank", loraRank, 1, 256, " for method=lora");
            Checks.between("loraAlpha", loraAlpha, 1e-6, 4096, " for method=lora");
            Checks.between("loraDropout", loraDropout, 0, 0.999, " for method=lora");
            targetModules = Checks.nonEmpty("targetModules", targetModules);
            for (String module : targetModules) {
                if (!TARGET_MODULES.contains(module)) {
                    throw new IllegalArgumentException("targetModules entry '" + module + "' is not a linear layer"
                            + " of the model; use some of " + TARGET_MODULES.stream().sorted().toList());
                }
            }
        } else {
            targetModules = targetModules == null ? List.of() : List.copyOf(targetModules);
        }
        Checks.between("epochs", epochs, 1, 1000, "");
        Checks.between("maxSteps", maxSteps, 0, 10_000_000, " (0 = derive from epochs)");
        Checks.between("learningRate", learningRate, 1e-9, 1.0, "");
        Checks.between("batchSize", batchSize, 1, 4096, "");
        Checks.between("gradientAccumulation", gradientAccumulation, 1, 1024, "");
        Checks.between("maxSeqLength", maxSeqLength, 8, 131_072, "");
        Checks.between("warmupRatio", warmupRatio, 0, 0.999, "");
        Checks.oneOf("scheduler", scheduler, SCHEDULERS);
        Checks.between("weightDecay", weightDecay, 0, 1, "");
        Checks.between("maxGradNorm", maxGradNorm, 0, 1e6, " (0 = no clipping)");
        Checks.between("evalEvery", evalEvery, 0, 10_000_000, " (0 = only at the end)");
        Checks.between("earlyStoppingPatience", earlyStoppingPatience, 0, 10_000, " (0 = never stop early)");
    }

    /**
     * LoRA r=8, alpha=16, dropout 0.05 on q_proj and v_proj; 2 epochs, lr 2e-3, batch 8, no accumulation,
     * 256 tokens, 10 % warm-up then cosine, no weight decay, clip 1.0, seed 42, validation every 20 steps.
     */
    public static TrainingParams defaults() {
        return DEFAULTS;
    }

    /** JSON creator: fields left out take their {@link #defaults()} value. */
    @JsonCreator
    static TrainingParams fromJson(@JsonProperty("method") String method,
                                   @JsonProperty("loraRank") Integer loraRank,
                                   @JsonProperty("loraAlpha") Double loraAlpha,
                                   @JsonProperty("loraDropout") Double loraDropout,
                                   @JsonProperty("targetModules") List<String> targetModules,
                                   @JsonProperty("epochs") Integer epochs,
                                   @JsonProperty("maxSteps") Integer maxSteps,
                                   @JsonProperty("learningRate") Double learningRate,
                                   @JsonProperty("batchSize") Integer batchSize,
                                   @JsonProperty("gradientAccumulation") Integer gradientAccumulation,
                                   @JsonProperty("maxSeqLength") Integer maxSeqLength,
                                   @JsonProperty("warmupRatio") Double warmupRatio,
                                   @JsonProperty("scheduler") String scheduler,
                                   @JsonProperty("weightDecay") Double weightDecay,
                                   @JsonProperty("maxGradNorm") Double maxGradNorm,
                                   @JsonProperty("seed") Long seed,
                                   @JsonProperty("evalEvery") Integer evalEvery,
                                   @JsonProperty("earlyStoppingPatience") Integer earlyStoppingPatience,
                                   @JsonProperty("packing") Boolean packing) {
        TrainingParams d = DEFAULTS;
        return new TrainingParams(or(method, d.method), or(loraRank, d.loraRank), or(loraAlpha, d.loraAlpha),
                or(loraDropout, d.loraDropout), or(targetModules, d.targetModules), or(epochs, d.epochs),
                or(maxSteps, d.maxSteps), or(learningRate, d.learningRate), or(batchSize, d.batchSize),
                or(gradientAccumulation, d.gradientAccumulation), or(maxSeqLength, d.maxSeqLength),
                or(warmupRatio, d.warmupRatio), or(scheduler, d.scheduler), or(weightDecay, d.weightDecay),
                or(maxGradNorm, d.maxGradNorm), or(seed, d.seed), or(evalEvery, d.evalEvery),
                or(earlyStoppingPatience, d.earlyStoppingPatience), or(packing, d.packing));
    }

    /** Whether adapters are trained (method=lora) rather than all weights. */
    public boolean lora() {
        return "lora".equals(method);
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
