package dev.tailor.inference.config;

import ai.djl.ndarray.types.DataType;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the OpenAI-compatible server ({@code tailor.inference.*}). */
@ConfigMapping(prefix = "tailor.inference")
public interface InferenceSettings {

    /** Base models loaded at startup and served as they are, each as {@code {tenant}/{name}} (under the tenant's {@code models/base/}). */
    Optional<List<String>> baseModels();

    /** {@code max_tokens} when a request gives none (capped by what is left of the context). */
    @WithDefault("256")
    int defaultMaxTokens();

    /** Largest {@code max_tokens} a request may ask for. */
    @WithDefault("4096")
    int maxTokensLimit();

    /** Tuned models kept loaded; beyond this the least recently used one without an alias is unloaded. */
    @WithDefault("16")
    int maxTunedModels();

    /** Local folder where base models and adapters are downloaded. */
    @WithDefault("${tailor.tmp.dir}/inference")
    String cacheDir();

    /** Largest request body, in bytes (a larger one is answered 413). */
    @WithDefault("4194304")
    long maxBodyBytes();

    /**
     * How long a request may take from arrival to its last token, queueing included; past it the generation is
     * stopped and the request answered 408 (or, once streaming, ended with an error event).
     */
    @WithDefault("PT2M")
    Duration requestTimeout();

    /**
     * Threads of each model's decode loop (PyTorch's intra-op threads, or the Java engine's; batch-1 decode scales
     * with them up to the memory bandwidth); default: the cores of the machine.
     */
    Optional<Integer> threads();

    /**
     * Type of the served weights: {@code float32}; {@code float16} (PyTorch decoding in half precision: half the
     * memory, logits within 1 % of the largest float32 logit, slower than float32 on CPUs with AVX-512); or
     * {@code int8} (the Java engine with one byte a weight and a scale per output row: a quarter of the bytes read per
     * token, logits within 8 % of the largest float32 logit; needs the Java engine, see {@link #decodeEngine()}).
     * {@code tailor bench decode} compares the speeds. bfloat16 is not offered: DJL 0.36's PyTorch CPU build aborts on
     * bfloat16 tensors.
     */
    @WithDefault("float32")
    WeightType weightType();

    /** Served weight types, with the type PyTorch keeps the model in. */
    enum WeightType {
        FLOAT32(DataType.FLOAT32), FLOAT16(DataType.FLOAT16), INT8(DataType.FLOAT32);

        private final DataType type;

        WeightType(DataType type) {
            this.type = type;
        }

        public DataType dataType() {
            return type;
        }
    }

    /**
     * What decodes: {@code java}, the Java CPU engine (a copy of the weights in the heap, read with the JDK's Vector
     * API: batch-1 decoding at the speed of llama2.c's run.c, see {@code tailor bench decode}; needs the JVM flag
     * {@code --add-modules=jdk.incubator.vector} and heap for the copy); {@code torch}, PyTorch through DJL; or
     * {@code auto} (the default): the Java engine when the JVM has the flag and the heap has room, else PyTorch.
     */
    @WithDefault("auto")
    DecodeEngine decodeEngine();

    /** Decoding engines. */
    enum DecodeEngine {
        AUTO, JAVA, TORCH
    }

    /** Continuous batching: one decode loop per loaded model. */
    Batching batching();

    /** Completion logging and feedback. */
    Feedback feedback();

    /** How long logged completions ({@code {tenant}/completions/}) are kept. */
    Completions completions();

    /** Retention of logged completions. */
    interface Completions {
        /**
         * Age (since written) after which a logged completion is deleted by the periodic sweep; feedback on it is
         * then refused as unknown. An example already collected from its feedback stays.
         */
        @WithDefault("P30D")
        java.time.Duration retention();

        /** Time between two sweeps of every tenant's logged completions. */
        @WithDefault("PT1H")
        java.time.Duration sweepEvery();
    }

    /** Limits of each model's decode loop. */
    interface Batching {
        /** Sequences decoded together at most (the batch size). */
        @WithDefault("16")
        int maxBatchSize();

        /** Tokens run through the model in one step at most: one per running sequence plus prompt tokens. */
        @WithDefault("512")
        int maxBatchTokens();

        /** Prompt + completion tokens of one request at most (KV cache per sequence; cut to the context). */
        @WithDefault("2048")
        int maxSequenceTokens();

        /** Requests waiting for a place in the batch, per model; beyond it requests are answered 429. */
        @WithDefault("64")
        int maxQueue();
    }

    /** Logging of completions through deployments that opt in, and the feedback collector. */
    interface Feedback {
        /** Placeholders for extra personal data in logged text, name → Java regex (built-in: e-mail, phone…). */
        java.util.Map<String, String> piiPatterns();
    }
}
