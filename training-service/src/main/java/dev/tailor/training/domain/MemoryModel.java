package dev.tailor.training.domain;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;

/**
 * Memory of a fine-tuning job on a CPU or on GPUs, from the model's shape and the parameters:
 * <ul>
 *   <li>weights in the compute type (bf16: 2 bytes; fp32: 4);</li>
 *   <li>trained parameters: their gradients (compute type), float32 master copies under bf16-mixed, and AdamW's two
 *       float32 moments;</li>
 *   <li>activations kept for backward: about 18 values per token, layer and hidden unit, attention scores, and the
 *       float32 logits with their softmax and gradient;</li>
 *   <li>on a GPU a CUDA context and allocator slack; weights, gradients and optimizer state are sharded when the job
 *       spans several GPUs (FSDP), activations are per GPU.</li>
 * </ul>
 */
public final class MemoryModel {
    static final long FLOAT_BYTES = 4;
    /** JVM, native libraries and tokenizer of a worker process. */
    static final long RUNTIME_BYTES = 400L << 20;
    /** Activations kept per token and layer for backward, in values, relative to the hidden size. */
    private static final int ACTIVATION_VALUES_PER_HIDDEN = 18;
    /** CUDA context, cuBLAS workspaces and the caching allocator's slack on each GPU. */
    static final long CUDA_CONTEXT_BYTES = 1L << 30;

    private MemoryModel() {
    }

    /**
     * @param gpus 0 for a CPU job, else the GPUs it is spread over
     */
    public static MemoryEstimate estimate(ModelConfig shape, TrainingParams p, long trainable,
                                          double tokensPerExample, String precision, int gpus) {
        if (gpus == 0) {
            if (precision.startsWith("bf16")) {
                throw new IllegalArgumentException("bf16 needs a GPU");
            }
            long total = shape.parameterCount();
            long weights = total * FLOAT_BYTES + trainable * FLOAT_BYTES * (p.usesLora() ? 4 : 3);
            long host = weights + activationBytes(shape, p.data(), tokensPerExample, FLOAT_BYTES) + RUNTIME_BYTES;
            return new MemoryEstimate("cpu", "fp32", host, 0, 0);
        }
        String prec = precision.equals("auto") ? "bf16-mixed" : precision;
        long cb = prec.equals("fp32") ? 4 : 2;
        long total = shape.parameterCount();
        long weights = total * cb + (p.usesLora() ? trainable * cb : 0); // a full job trains the weights themselves
        long trainState = trainable * cb                                 // gradients
                + (prec.equals("bf16-mixed") ? trainable * FLOAT_BYTES : 0) // float32 masters
                + 2 * trainable * FLOAT_BYTES;                           // AdamW moments
        long sharded = (weights + trainState + gpus - 1) / gpus;
        long device = sharded + activationBytes(shape, p.data(), tokensPerExample, cb) + CUDA_CONTEXT_BYTES;
        // the host loads one tensor at a time in float32 before moving it: the largest is the embedding
        long host = RUNTIME_BYTES + (long) shape.vocabSize() * shape.hiddenSize() * FLOAT_BYTES;
        return new MemoryEstimate("cuda", prec, host, device, gpus);
    }

    /** Activations of one micro-batch in {@code bytes}-wide values, plus float32 logits, softmax and gradient. */
    static long activationBytes(ModelConfig shape, TrainingParams.Data data, double tokensPerExample, long bytes) {
        double perExample = Math.min(data.maxSeqLength(), Math.max(1.0, tokensPerExample));
        long seq = Math.min(data.maxSeqLength(), Math.max(1, Math.round(Math.ceil(perExample))));
        long batchTokens = data.batchSize() * (data.packing() ? data.maxSeqLength() : seq);
        return batchTokens * shape.numLayers() * (long) shape.hiddenSize() * ACTIVATION_VALUES_PER_HIDDEN * bytes
                + batchTokens * shape.numLayers() * (long) shape.numHeads() * seq * bytes // attention scores
                + 3L * batchTokens * shape.vocabSize() * FLOAT_BYTES;                   // logits, softmax, gradient
    }
}
