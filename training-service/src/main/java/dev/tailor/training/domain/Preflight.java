package dev.tailor.training.domain;

import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job will cost, estimated before any compute starts: optimizer steps, trainable parameters, worker memory
 * and wall time. Estimates, not promises: they use a simple FLOP and memory model of a decoder-only transformer.
 *
 * @param estimatedMemoryBytes worker memory on a CPU in float32 (the local backend's figure)
 * @param estimatedSeconds     on the CPU throughput of {@code tailor.training.preflight-flops}
 * @param memory               the estimate for the device the job was placed on ({@link MemoryModel}), null before
 *                             placement and in records of the first version
 */
public record Preflight(long trainExamples, int totalSteps, long tokensPerStep, long totalParameters,
                        long trainableParameters, long estimatedMemoryBytes, double estimatedSeconds,
                        List<String> warnings, MemoryEstimate memory) {

    private static final long FLOAT_BYTES = MemoryModel.FLOAT_BYTES;
    private static final long RUNTIME_BYTES = MemoryModel.RUNTIME_BYTES;

    public Preflight {
        warnings = List.copyOf(warnings);
    }

    /**
     * @param trainExamples       examples in the train split
     * @param avgTokensPerExample average tokenized length of an example (capped by maxSeqLength here)
     * @param flopsPerSecond      sustained throughput of the worker's hardware
     */
    public static Preflight estimate(ModelConfig shape, TrainingParams p, long trainExamples,
                                     double avgTokensPerExample, double flopsPerSecond) {
        List<String> warnings = new ArrayList<>();
        if (trainExamples == 0) {
            throw new IllegalArgumentException("the train split is empty: clean a dataset with at least one example");
        }
        TrainingParams.Data data = p.data();
        long examplesPerStep = (long) data.batchSize() * data.gradientAccumulation();
        int stepsPerEpoch = (int) Math.max(1, (trainExamples + examplesPerStep - 1) / examplesPerStep);
        int totalSteps = p.schedule().maxSteps() > 0 ? p.schedule().maxSteps() : stepsPerEpoch * p.schedule().epochs();
        if (trainExamples < examplesPerStep) {
            warnings.add("the train split has " + trainExamples + " examples, fewer than one step's batch of "
                    + examplesPerStep);
        }
        double tokensPerExample = Math.min(data.maxSeqLength(), Math.max(1.0, avgTokensPerExample));
        long tokensPerStep = Math.round(examplesPerStep * tokensPerExample);

        long total = shape.parameterCount();
        boolean lora = p.usesLora();
        long trainable = lora ? loraParameters(shape, p.lora()) + vocabularyParameters(shape, p.vocabulary()) : total;
        // base weights + (weights, gradients, AdamW m and v) of the trainable ones
        long weights = total * FLOAT_BYTES + trainable * FLOAT_BYTES * (lora ? 4 : 3);
        long memory = weights + MemoryModel.activationBytes(shape, data, tokensPerExample, FLOAT_BYTES)
                + RUNTIME_BYTES;

        // forward 2·N·tokens; backward 4·N·tokens for full fine-tuning, about 2·N·tokens with frozen base weights
        double flopsPerToken = (lora ? 4.0 : 6.0) * total;
        double seconds = totalSteps * tokensPerStep * flopsPerToken / flopsPerSecond;
        if (p.evaluation().evalEvery() > 0) {
            seconds *= 1.1; // validation passes
        }
        return new Preflight(trainExamples, totalSteps, tokensPerStep, total, trainable, memory, seconds, warnings,
                null);
    }

    /** This estimate with the memory figures of the device it was placed on. */
    public Preflight withMemory(MemoryEstimate placed) {
        return new Preflight(trainExamples, totalSteps, tokensPerStep, totalParameters, trainableParameters,
                estimatedMemoryBytes, estimatedSeconds, warnings, placed);
    }

    /** This estimate with {@code more} warnings after its own. */
    public Preflight withWarnings(List<String> more) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new Preflight(trainExamples, totalSteps, tokensPerStep, totalParameters, trainableParameters,
                estimatedMemoryBytes, estimatedSeconds, all, memory);
    }

    /**
     * Extending the vocabulary trains the embedding (and an untied output layer) in full, with room for up to
     * {@code maxNewTokens} new rows (PEFT {@code modules_to_save}): 0 when the job adds no tokens.
     */
    static long vocabularyParameters(ModelConfig shape, TrainingParams.Vocabulary vocabulary) {
        if (!vocabulary.extend()) {
            return 0;
        }
        long table = (long) (shape.vocabSize() + vocabulary.maxNewTokens()) * shape.hiddenSize();
        return shape.tieWordEmbeddings() ? table : 2 * table;
    }

    /** LoRA adds A (r × in) and B (out × r) per target projection and layer. */
    static long loraParameters(ModelConfig shape, TrainingParams.Lora lora) {
        long perLayer = 0;
        for (Projection module : lora.targetModules()) {
            perLayer += (long) lora.rank() * (shape.inFeatures(module) + shape.outFeatures(module));
        }
        return perLayer * shape.numLayers();
    }
}
