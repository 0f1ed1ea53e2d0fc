package dev.tailor.llm.train;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.data.ExampleEncoder;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Fine-tunes a {@link LanguageModel} on chat/prompt-completion/text examples. LoRA writes a PEFT
 * adapter into outputDir and leaves the base untouched; full fine-tuning updates the base's weights
 * in place and writes a Hugging Face checkpoint. Also writes {@code training.json},
 * {@code metrics.jsonl} and {@code checkpoints/}; resumes from the newest checkpoint there.
 */
public final class Trainer {

    public TrainResult train(LanguageModel base, List<ChatExample> train, List<ChatExample> validation,
                             TrainConfig cfg, Path outputDir, ProgressListener listener) {
        return train(base, train, validation, cfg, outputDir, listener, CancellationToken.none());
    }

    public TrainResult train(LanguageModel base, List<ChatExample> train, List<ChatExample> validation,
                             TrainConfig cfg, Path outputDir, ProgressListener listener, CancellationToken cancel) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("the training set is empty; give at least one example");
        }
        ExampleEncoder.Batch batch = base.exampleEncoder().encodeAll(train, cfg.maxSeqLength());
        if (batch.encoded().isEmpty()) {
            throw new IllegalArgumentException("no training example could be used: " + batch.firstReason());
        }
        int truncated = batch.truncated();
        List<TokenizedExample> trainIds = batch.encoded().stream().map(Trainer::tokenized).toList();
        List<TokenizedExample> valIds = encode(base, validation, cfg);
        int pad = padId(base);
        if (!cfg.isLora()) {
            Path source = base.directory();
            FullTrainingModel model = new FullTrainingModel(base.transformer(), pad,
                    (t, dir) -> CheckpointWriter.save(dir, t, source));
            return new TrainingLoop(model, cfg, outputDir, listener, cancel).truncatedExamples(truncated)
                    .skippedExamples(batch.skipped(), batch.firstReason()).run(trainIds, valIds);
        }
        LoraConfig lc = new LoraConfig(cfg.loraRank(), cfg.loraAlpha(), cfg.loraDropout(), cfg.targetModules());
        try (LoraAdapter adapter = LoraAdapter.init(base.transformer(), lc, cfg.seed())) {
            String baseName = base.directory() == null ? "base" : base.directory().toString();
            LoraTrainingModel model = new LoraTrainingModel(base.transformer(), adapter, pad, baseName);
            return new TrainingLoop(model, cfg, outputDir, listener, cancel).truncatedExamples(truncated)
                    .skippedExamples(batch.skipped(), batch.firstReason()).run(trainIds, valIds);
        }
    }

    /**
     * Token ids and answer masks of examples, fit into maxSeqLength by {@link ExampleEncoder}; examples the chat
     * template refuses are left out.
     */
    public static List<TokenizedExample> encode(LanguageModel base, List<ChatExample> examples, TrainConfig cfg) {
        return base.exampleEncoder().encodeAll(examples, cfg.maxSeqLength()).encoded().stream()
                .map(Trainer::tokenized).toList();
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
