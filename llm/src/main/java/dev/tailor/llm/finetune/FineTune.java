package dev.tailor.llm.finetune;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.data.ExampleEncoder;
import dev.tailor.llm.device.Compute;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.train.FullTrainingModel;
import dev.tailor.llm.train.LoraTrainingModel;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainResult;
import dev.tailor.llm.train.TrainingLoop;
import dev.tailor.llm.train.TrainingModel;
import dev.tailor.llm.train.batch.TokenizedExample;
import dev.tailor.llm.vocab.AddedVocabulary;
import dev.tailor.llm.vocab.VocabularyExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one fine-tune recipe: read the splits ({@link #readSplit}), map the parameters onto a trainable model (LoRA
 * adapters on a frozen base, or every weight), train, write the outputs. The training worker, {@code tailor model
 * finetune} and pretraining ({@link #train(TrainingModel, List, List, TrainingParams, RunOptions)}) all run it.
 *
 * <p>Outputs in {@link RunOptions#outputDir()}: a PEFT adapter (LoRA; the base is left untouched) or a Hugging Face
 * checkpoint (full fine-tuning updates the base's weights in place), {@code training.json}, {@code metrics.jsonl} and
 * {@code checkpoints/}; a run resumes from the newest checkpoint there.
 */
public final class FineTune {

    private FineTune() {
    }

    /** A split file: one example per line ({@code {"messages"}}, {@code {"prompt","completion"}} or {@code {"text"}}). */
    public static List<ChatExample> readSplit(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readSplit(in, file.toString());
        }
    }

    /** A split from a stream; {@code source} names it in error messages (a path or an s3:// URI). */
    public static List<ChatExample> readSplit(InputStream in, String source) throws IOException {
        return ChatExample.readJsonl(in, source, Integer.MAX_VALUE);
    }

    /**
     * Loads the base model in {@code baseDir} on the device and precision of {@code params.compute()} (resolved
     * against the GPUs DJL reports), fine-tunes it and closes it.
     */
    public static TrainResult run(Path baseDir, List<ChatExample> train, List<ChatExample> validation,
                                  TrainingParams params, RunOptions run) {
        return run(baseDir, train, validation, params, run, Compute.of(params.compute()));
    }

    /** The same on an explicit device and precision (tests run the mixed-precision path in float16 on a CPU). */
    public static TrainResult run(Path baseDir, List<ChatExample> train, List<ChatExample> validation,
                                  TrainingParams params, RunOptions run, Compute compute) {
        try (LanguageModel base = LanguageModel.load(baseDir, compute)) {
            return run(base, train, validation, params, run, compute);
        }
    }

    /**
     * Fine-tunes {@code base} on {@code train}; {@code validation} (may be empty) gives the validation loss and early
     * stopping. Examples are encoded by the model's chat template (only answer tokens are targets); examples the
     * template refuses are left out and counted in training.json.
     */
    public static TrainResult run(LanguageModel base, List<ChatExample> train, List<ChatExample> validation,
                                  TrainingParams params, RunOptions run) {
        return run(base, train, validation, params, run, loadedAs(base, params));
    }

    /** The device and compute type {@code base} was loaded with; master weights as the parameters ask. */
    private static Compute loadedAs(LanguageModel base, TrainingParams params) {
        var t = base.transformer();
        var master = t.computeType() == ai.djl.ndarray.types.DataType.BFLOAT16
                && params.compute().precision().equals("bf16") ? t.computeType()
                : ai.djl.ndarray.types.DataType.FLOAT32;
        return new Compute(t.manager().getDevice(), t.computeType(), master);
    }

    private static TrainResult run(LanguageModel base, List<ChatExample> train, List<ChatExample> validation,
                                   TrainingParams params, RunOptions run, Compute compute) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the training set is empty; give at least one example");
        }
        int pad = padId(base);
        if (!params.usesLora()) {
            ExampleEncoder.Batch batch = encodeTrain(base.exampleEncoder(), train, params);
            List<TokenizedExample> trainIds = batch.encoded().stream().map(FineTune::tokenized).toList();
            List<TokenizedExample> valIds = encode(base, validation, params.data().maxSeqLength());
            if (run.initialAdapter() != null) {
                throw new IllegalArgumentException("continuing from an adapter needs method=lora; to continue a "
                        + "full fine-tune, use the tuned checkpoint as the base model");
            }
            Path source = base.directory();
            FullTrainingModel model = new FullTrainingModel(base.transformer(), pad,
                    (t, values, dir) -> CheckpointWriter.save(dir, t.config(), values, source,
                            dev.tailor.llm.io.SafetensorsWriter.Dtype.F32, Long.MAX_VALUE), compute.masterType());
            return loop(model, params, run, batch).run(trainIds, valIds);
        }
        TrainingParams.Lora lora = params.lora();
        LoraConfig shape = new LoraConfig(lora.rank(), lora.alpha(), lora.dropout(), lora.targetModules());
        AddedVocabulary added = run.initialAdapter() == null ? plannedVocabulary(base, params, run) : null;
        // a tuned model trained further starts from its adapter (a checkpoint of this run, if any, still wins)
        try (LoraAdapter adapter = run.initialAdapter() != null
                ? LoraAdapter.loadPeft(run.initialAdapter(), base.transformer(), compute.computeType())
                : LoraAdapter.init(base.transformer(), shape, params.seed(), compute.computeType(), added,
                run.outputDir())) {
            // an adapter with its own vocabulary reads the examples with its extended tokenizer
            ExampleEncoder encoder = adapter.tokenizer() == null ? base.exampleEncoder()
                    : new ExampleEncoder(adapter.tokenizer(), base.chatTemplate());
            ExampleEncoder.Batch batch = encodeTrain(encoder, train, params);
            List<TokenizedExample> trainIds = batch.encoded().stream().map(FineTune::tokenized).toList();
            List<TokenizedExample> valIds = encoder.encodeAll(validation, params.data().maxSeqLength()).encoded()
                    .stream().map(FineTune::tokenized).toList();
            String baseName = run.baseModelName() != null ? run.baseModelName()
                    : base.directory() == null ? "base" : base.directory().toString();
            LoraTrainingModel model = new LoraTrainingModel(base.transformer(), adapter, pad, baseName,
                    compute.masterType());
            return loop(model, params, run, batch).run(trainIds, valIds);
        }
    }

    private static ExampleEncoder.Batch encodeTrain(ExampleEncoder encoder, List<ChatExample> train,
                                                    TrainingParams params) {
        ExampleEncoder.Batch batch = encoder.encodeAll(train, params.data().maxSeqLength());
        if (batch.encoded().isEmpty()) {
            throw new IllegalArgumentException("no training example could be used: " + batch.firstReason());
        }
        return batch;
    }

    /**
     * The new tokens of {@code params.vocabulary()} (null when it adds none, or no term needs a token), with the
     * extended tokenizer written into the run's output folder.
     */
    private static AddedVocabulary plannedVocabulary(LanguageModel base, TrainingParams params, RunOptions run) {
        TrainingParams.Vocabulary v = params.vocabulary();
        if (!v.extend()) {
            return null;
        }
        if (base.directory() == null) {
            throw new IllegalArgumentException("vocabulary.extend needs the base model's tokenizer files; this base "
                    + "was built in memory");
        }
        if (v.terms().isEmpty()) {
            throw new IllegalArgumentException("vocabulary.extend has no terms: the dataset's train split holds no"
                    + " glossary examples to take them from; upload a glossary with the data (examples.glossaryFiles)"
                    + " or list vocabulary.terms");
        }
        AddedVocabulary added = VocabularyExtension.plan(base.directory(), base.tokenizer(), base.config(),
                v.terms(), v.maxNewTokens());
        if (added != null) {
            VocabularyExtension.writeTokenizer(base.directory(), added, run.outputDir(), base.config());
        }
        return added;
    }

    /** The recipe's last steps for examples already tokenized (pretraining): train, then write the outputs. */
    public static TrainResult train(TrainingModel model, List<TokenizedExample> train,
                                    List<TokenizedExample> validation, TrainingParams params, RunOptions run) {
        return new TrainingLoop(model, params, run).run(train, validation);
    }

    private static TrainingLoop loop(TrainingModel model, TrainingParams params, RunOptions run,
                                     ExampleEncoder.Batch batch) {
        return new TrainingLoop(model, params, run).truncatedExamples(batch.truncated())
                .skippedExamples(batch.skipped(), batch.firstReason());
    }

    /**
     * Token ids and answer masks of examples, fit into maxSeqLength by {@link ExampleEncoder}; examples the chat
     * template refuses are left out.
     */
    public static List<TokenizedExample> encode(LanguageModel base, List<ChatExample> examples, int maxSeqLength) {
        return base.exampleEncoder().encodeAll(examples, maxSeqLength).encoded().stream()
                .map(FineTune::tokenized).toList();
    }

    private static TokenizedExample tokenized(ExampleEncoder.Encoded enc) {
        return new TokenizedExample(enc.ids(), enc.targets());
    }

    private static int padId(LanguageModel base) {
        String token = base.tokenizer().specialToken("pad_token");
        Integer pad = token == null ? null : base.tokenizer().tokenId(token);
        if (pad != null) {
            return pad;
        }
        return base.tokenizer().eosIds().isEmpty() ? 0 : base.tokenizer().eosIds().iterator().next();
    }
}
