package dev.tailor.llm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.cpu.CpuDecode;
import dev.tailor.llm.cpu.WeightFormat;
import dev.tailor.llm.data.ExampleEncoder;
import dev.tailor.llm.device.Compute;
import dev.tailor.llm.generate.BatchDecoder;
import dev.tailor.llm.generate.BatchSettings;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.generate.TokenListener;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraMerge;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A base model with its tokenizer, chat template and any number of named LoRA adapters sharing its weights.
 * Inference methods are thread-safe; adapters can be loaded, replaced and unloaded while requests run (an adapter
 * is freed once the last request using it ends).
 */
public final class LanguageModel implements AutoCloseable {

    private final Path directory;
    private final Transformer transformer;
    private final TextTokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private volatile CpuDecode cpu;
    private final AdapterRegistry adapters = new AdapterRegistry();

    public LanguageModel(Path directory, Transformer transformer, TextTokenizer tokenizer) {
        this.directory = directory;
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.chatTemplate = ChatTemplate.of(tokenizer, directory == null ? null : String.valueOf(directory.getFileName()));
    }

    /** Loads a Hugging Face checkpoint folder (config.json, safetensors, tokenizer.json, tokenizer_config.json). */
    public static LanguageModel load(Path checkpointDir) {
        return load(checkpointDir, Compute.cpu());
    }

    /** Loads a checkpoint on {@code compute}'s device, its weights in the compute type. */
    public static LanguageModel load(Path checkpointDir, Compute compute) {
        ModelConfig config = ModelConfig.read(checkpointDir);
        TextTokenizer tok = TextTokenizer.load(checkpointDir, config);
        NDManager manager = compute.newManager();
        try {
            return new LanguageModel(checkpointDir, CheckpointLoader.loadModel(checkpointDir, manager,
                    compute.computeType()), tok);
        } catch (RuntimeException e) {
            manager.close();
            tok.close();
            throw e;
        }
    }

    /** The folder this model was loaded from (null when built in memory). */
    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return transformer.config();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The tokenizer of prompts for {@code adapterOrNull}: the adapter's own when it extends the vocabulary, else the
     * base's. Unknown adapter names are an error.
     */
    public TextTokenizer tokenizer(String adapterOrNull) {
        TextTokenizer own = adapterOrNull == null ? null : adapters.peek(adapterOrNull).tokenizer();
        return own != null ? own : tokenizer;
    }

    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    public Transformer transformer() {
        return transformer;
    }

    /**
     * Token ids of the prompt for the next assistant turn of a conversation (chat template with the generation
     * prompt; message text stays text, see {@link TextTokenizer#encodeChat}).
     *
     * @throws dev.tailor.llm.chat.ChatTemplateException when the template refuses the conversation or fails
     */
    public int[] chatPrompt(List<ChatMessage> messages) {
        return chatPrompt(messages, null);
    }

    /** The same for a request to {@code adapterOrNull}, with its tokenizer ({@link #tokenizer(String)}). */
    public int[] chatPrompt(List<ChatMessage> messages, String adapterOrNull) {
        return tokenizer(adapterOrNull).encodeChat(chatTemplate.render(messages, true)).ids();
    }

    /** The example → (ids, loss mask) encoder for this model's tokenizer and chat template. */
    public ExampleEncoder exampleEncoder() {
        return new ExampleEncoder(tokenizer, chatTemplate);
    }

    /** The same with {@code adapterOrNull}'s tokenizer ({@link #tokenizer(String)}). */
    public ExampleEncoder exampleEncoder(String adapterOrNull) {
        return new ExampleEncoder(tokenizer(adapterOrNull), chatTemplate);
    }

    /** Loads a PEFT adapter folder under {@code name}, replacing an adapter of that name. */
    public void loadAdapter(String name, Path peftDir) {
        putAdapter(name, LoraAdapter.loadPeft(peftDir, transformer));
    }

    /**
     * Registers an adapter built in memory (e.g. just trained) under {@code name}; the model closes it once it is
     * replaced or unloaded and no request uses it any more.
     */
    public void putAdapter(String name, LoraAdapter adapter) {
        adapters.put(name, adapter);
    }

    /**
     * Folds the PEFT adapter in {@code peftDir} into this model's weights ({@code W + alpha/r · B A}) and writes the
     * result as a full Hugging Face checkpoint to {@code outDir} (with this model's tokenizer files, or the adapter's
     * when it extends the vocabulary: then its embedding and output layer are the merged model's). This model is
     * left as it was.
     */
    public void saveMerged(Path peftDir, Path outDir) {
        try (LoraAdapter adapter = LoraAdapter.loadPeft(peftDir, transformer);
             Transformer merged = LoraMerge.merge(transformer, adapter)) {
            CheckpointWriter.save(outDir, merged, adapter.vocabulary() == null ? directory
                    : adapter.vocabulary().tokenizerDir());
        }
    }

    /** Unloads an adapter: new requests cannot use it, running ones finish with it. */
    public void unloadAdapter(String name) {
        adapters.remove(name);
    }

    public Set<String> adapterNames() {
        return adapters.names();
    }

    /**
     * The adapter loaded under {@code name}, or null for a null name; unknown names are an error. Not leased: do not
     * unload it while using the result.
     */
    public LoraAdapter adapter(String name) {
        return name == null ? null : adapters.peek(name);
    }

    private <T> T withAdapter(String name, Function<LoraAdapter, T> work) {
        try (AdapterRegistry.Lease lease = adapters.acquire(name)) {
            return work.apply(lease == null ? null : lease.adapter());
        }
    }

    /** Logits (T rows of V) for {@code ids}. */
    public float[][] logits(int[] ids, String adapterOrNull) {
        return withAdapter(adapterOrNull, adapter -> {
            int vocab = adapter == null ? config().vocabSize() : adapter.vocabSize(config().vocabSize());
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("Token id " + id + " is outside the vocabulary [0, " + vocab
                            + ")" + (adapterOrNull == null ? " of the base model" : " of adapter " + adapterOrNull));
                }
            }
            try (NDManager m = transformer.manager().newSubManager()) {
                NDArray out = transformer.forward(m.create(toLong(ids), new Shape(1, ids.length)), null, adapter,
                        false);                                                           // (1, T, V)
                float[] flat = out.toFloatArray();
                int v = Math.toIntExact(out.getShape().get(2));
                float[][] rows = new float[ids.length][];
                for (int t = 0; t < ids.length; t++) {
                    rows[t] = java.util.Arrays.copyOfRange(flat, t * v, (t + 1) * v);
                }
                return rows;
            }
        });
    }

    /** Generates one continuation; thread-safe for concurrent requests. */
    public GenerationResult generate(GenerationRequest req, TokenListener listenerOrNull) {
        return withAdapter(req.adapter(), adapter -> new Generator(transformer, tokenizer, cpu).generate(req, adapter,
                adapter == null ? null : adapter.tokenizer(), listenerOrNull));
    }

    /**
     * A continuous-batching decoder on this model: requests join and leave a running batch at any step, each with
     * its own sampling settings, stop strings and adapter (by name, one of {@link #adapterNames()}, held while the
     * request runs). Drive it from one thread ({@link BatchDecoder#step()}); close it when done.
     */
    public BatchDecoder batchDecoder(BatchSettings settings) {
        return new BatchDecoder(transformer, tokenizer, settings, name -> adapters.acquire(name), cpu);
    }

    /**
     * Decodes from now on (generators and batch decoders made after this call) with the Java CPU engine, its copy of
     * the weights in {@code format}, on {@code threads} threads: faster than PyTorch for batch-1 decoding, which is
     * bound by the per-operation cost of native calls. Needs the model on the CPU and the JVM started with
     * {@code --add-modules=jdk.incubator.vector}.
     *
     * @return the engine, or null (the model keeps decoding on PyTorch) when this JVM lacks the Vector API or its
     *         heap has no room for the copy ({@link CpuDecode#fitsHeap})
     */
    public synchronized CpuDecode useCpuDecode(WeightFormat format, int threads) {
        if (!CpuDecode.supported() || !CpuDecode.fitsHeap(config(), format)) {
            return null;
        }
        CpuDecode old = cpu;
        cpu = CpuDecode.create(transformer, format, threads);
        if (old != null) {
            old.close();
        }
        return cpu;
    }

    /** The CPU engine decoding runs on, or null on PyTorch. */
    public CpuDecode cpuDecode() {
        return cpu;
    }

    /** Rows of {@link #generateBatch(List)}'s decoder: beyond this, requests wait for a free row. */
    public static final int DEFAULT_BATCH_ROWS = 16;

    /**
     * Generates every request (each with its own settings and adapter) in batches of up to
     * {@link #DEFAULT_BATCH_ROWS} rows, on the calling thread; results in the order of the requests. Greedy requests
     * give what {@link #generate} gives for them one by one.
     *
     * @throws IllegalArgumentException for a request that cannot run (unknown adapter, prompt beyond the context);
     *                                  nothing is generated then
     */
    public List<GenerationResult> generateBatch(List<GenerationRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        int context = config().maxPositionEmbeddings();
        int longest = 2;
        for (GenerationRequest r : requests) {
            longest = Math.max(longest, (int) Math.min(context, (long) r.promptIds().length + r.maxNewTokens()));
        }
        int rows = Math.min(requests.size(), DEFAULT_BATCH_ROWS);
        BatchSettings settings = new BatchSettings(rows, Math.max(rows + 1, 512), longest);
        try (BatchDecoder decoder = batchDecoder(settings)) {
            List<dev.tailor.llm.generate.Sequence> sequences = new ArrayList<>();
            for (GenerationRequest r : requests) {
                sequences.add(decoder.submit(r, null));
            }
            decoder.runUntilIdle();
            return sequences.stream().map(s -> s.completion().join()).toList();
        }
    }

    /**
     * Mean next-token cross-entropy over answer tokens only (assistant content of chat examples, all tokens of text
     * examples), token-weighted over all examples; prompts are masked. Examples are cut at {@code maxSeqLength};
     * examples the chat template refuses are left out (the same ones for every adapter of this model).
     */
    public double meanAnswerLoss(List<ChatExample> examples, String adapterOrNull, int maxSeqLength) {
        List<ExampleLoss> losses = answerLosses(examples, adapterOrNull, maxSeqLength);
        double sum = 0;
        long count = 0;
        for (ExampleLoss l : losses) {
            sum += l.sum();
            count += l.tokens();
        }
        if (count == 0) {
            ExampleEncoder.Batch batch = exampleEncoder(adapterOrNull).encodeAll(examples, maxSeqLength);
            throw new IllegalArgumentException("No answer tokens to score in " + examples.size() + " examples"
                    + (batch.skipped() > 0 ? "; " + batch.skipped() + " refused: " + batch.firstReason() : ""));
        }
        return sum / count;
    }

    /**
     * The answer-token loss of one example: {@code sum} of −log p over its {@code tokens} answer tokens (nats).
     * Zero tokens when the chat template refused the example or it has no answer token left after truncation.
     */
    public record ExampleLoss(double sum, int tokens) {
        public ExampleLoss {
            if (tokens < 0 || !(sum >= 0)) {
                throw new IllegalArgumentException("an example loss needs tokens >= 0 and a sum >= 0, got " + sum
                        + " over " + tokens);
            }
        }

        /** Mean loss per answer token (NaN without tokens). */
        public double mean() {
            return tokens == 0 ? Double.NaN : sum / tokens;
        }
    }

    /**
     * The answer-token loss of every example, in order (see {@link #meanAnswerLoss}); an example the chat template
     * refuses gets zero tokens.
     */
    public List<ExampleLoss> answerLosses(List<ChatExample> examples, String adapterOrNull, int maxSeqLength) {
        ExampleEncoder encoder = exampleEncoder(adapterOrNull);
        List<ExampleEncoder.Encoded> encoded = new java.util.ArrayList<>(examples.size());
        for (ChatExample e : examples) {
            try {
                encoded.add(encoder.encode(e, maxSeqLength));
            } catch (ChatTemplateException refused) {
                if (refused.kind() != ChatTemplateException.Kind.REFUSED
                        && refused.kind() != ChatTemplateException.Kind.CONTENT) {
                    throw refused; // a broken template fails every example: say so instead of scoring none
                }
                encoded.add(null);
            }
        }
        return withAdapter(adapterOrNull, adapter -> {
            List<ExampleLoss> out = new java.util.ArrayList<>(encoded.size());
            for (ExampleEncoder.Encoded enc : encoded) {
                out.add(enc == null ? new ExampleLoss(0, 0) : loss(enc, adapter));
            }
            return out;
        });
    }

    private ExampleLoss loss(ExampleEncoder.Encoded enc, LoraAdapter adapter) {
        int t = enc.ids().length;
        if (enc.targetCount() == 0 || t < 2) {
            return new ExampleLoss(0, 0);
        }
        try (NDManager m = transformer.manager().newSubManager()) {
            int[] inputs = java.util.Arrays.copyOf(enc.ids(), t - 1);
            long[] next = new long[t - 1];
            for (int i = 0; i < t - 1; i++) {
                next[i] = enc.ids()[i + 1];
            }
            NDArray logits = transformer.forward(m.create(toLong(inputs), new Shape(1, t - 1)), null,
                    adapter, false);                                                       // (1, T-1, V)
            float[] logp = logits.logSoftmax(-1)
                    .gather(m.create(next, new Shape(1, t - 1, 1)), -1).toFloatArray();   // (1, T-1, 1)
            double sum = 0;
            int count = 0;
            for (int i = 0; i < t - 1; i++) {
                if (enc.targets()[i + 1]) {
                    sum -= logp[i];
                    count++;
                }
            }
            return new ExampleLoss(Math.max(0, sum), count);
        }
    }

    private static long[] toLong(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return l;
    }

    @Override
    public void close() {
        adapters.close();
        if (cpu != null) {
            cpu.close();
        }
        transformer.close();
        tokenizer.close();
    }
}
