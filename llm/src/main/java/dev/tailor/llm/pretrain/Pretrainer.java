package dev.tailor.llm.pretrain;

import ai.djl.ndarray.NDManager;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.bench.TrainBench;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.train.Checkpoints;
import dev.tailor.llm.train.FullTrainingModel;
import dev.tailor.llm.train.ProgressListener;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainResult;
import dev.tailor.llm.train.batch.TokenizedExample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Pretrains a small Llama-architecture model from random weights on plain English text (byte-level
 * BPE learned from the same text, next-token prediction on fixed-length windows, 5 % held out for
 * validation) and saves an ordinary Hugging Face checkpoint with its tokenizer and a chat template.
 * The training itself is the fine-tune recipe's ({@link FineTune#train}) on all weights.
 */
public final class Pretrainer {
    public static final String CORPUS_RESOURCE = "/corpus/moby-dick.txt.gz";

    private Pretrainer() {
    }

    /** @param corpusTokens the corpus length in tokens; corpusChars in characters */
    public record Outcome(TrainResult result, int steps, long parameters, double seconds, int vocab, int corpusTokens,
                          int corpusChars) {
    }

    public static Outcome run(PretrainConfig pc, ProgressListener listener) throws IOException {
        String text = new String(pc.corpus() == null ? bundledCorpus() : Files.readAllBytes(pc.corpus()),
                StandardCharsets.UTF_8);
        Files.createDirectories(pc.out());
        List<String[]> merges = BpeTrainer.train(text, pc.merges());
        int vocab = ByteTokenizer.write(pc.out(), 1024, merges);
        ModelConfig mc = pc.modelConfig(vocab);
        int[] tokens;
        try (TextTokenizer tok = TextTokenizer.load(pc.out(), mc)) {
            tokens = tok.encode(text, false);
        }
        List<TokenizedExample> windows = windows(tokens, pc.seqLength());
        int held = Math.max(1, windows.size() / 20);
        List<TokenizedExample> validation = windows.subList(windows.size() - held, windows.size());
        validation = validation.subList(0, Math.min(validation.size(), 4 * pc.batchSize()));
        List<TokenizedExample> train = windows.subList(0, windows.size() - held);
        int steps = pc.steps() > 0 ? pc.steps() : stepsFor(pc, mc);
        TrainingParams params = TrainingParams.builder().method("full").maxSteps(steps).batchSize(pc.batchSize())
                .maxSeqLength(pc.seqLength()).learningRate(pc.learningRate()).warmupRatio(0.05).scheduler("cosine")
                .weightDecay(0.1).maxGradNorm(1.0).seed(pc.seed()).evalEvery(Math.max(1, steps / 10)).build();
        RunOptions run = RunOptions.to(pc.out()).withCheckpointEvery(Math.max(1, steps / 4)).withListener(listener);
        long t0 = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            Transformer model = Transformer.random(mc, manager, pc.seed());
            long weights = model.parameters().values().stream().mapToLong(a -> a.getShape().size()).sum();
            FullTrainingModel tm = new FullTrainingModel(model, ByteTokenizer.PAD,
                    (t, values, dir) -> CheckpointWriter.save(dir, t, dir));
            TrainResult r = FineTune.train(tm, train, validation, params, run);
            Checkpoints.deleteAll(pc.out());
            return new Outcome(r, steps, weights, (System.nanoTime() - t0) / 1e9, vocab, tokens.length, text.length());
        }
    }

    /** Steps that fit the time budget, from the speed of a few real steps on this machine. */
    static int stepsFor(PretrainConfig pc, ModelConfig mc) {
        TrainBench.Result r = TrainBench.run(mc, pc.seqLength(), pc.batchSize(), 0, 8, 3, pc.seed());
        double stepSeconds = (double) pc.batchSize() * pc.seqLength() / r.tokensPerSecond();
        // about 10 % goes to validation and checkpoints
        return Math.max(10, (int) (pc.minutes() * 60 * 0.9 / stepSeconds));
    }

    /** Non-overlapping windows of seqLength tokens, each starting with &lt;s&gt;. */
    static List<TokenizedExample> windows(int[] tokens, int seqLength) {
        List<TokenizedExample> out = new ArrayList<>();
        int len = seqLength - 1;
        for (int start = 0; start + len <= tokens.length; start += len) {
            int[] ids = new int[seqLength];
            ids[0] = ByteTokenizer.BOS;
            System.arraycopy(tokens, start, ids, 1, len);
            out.add(TokenizedExample.allTokens(ids));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the corpus has fewer than " + seqLength + " tokens");
        }
        return out;
    }

    public static byte[] bundledCorpus() {
        try (InputStream in = Pretrainer.class.getResourceAsStream(CORPUS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("corpus resource " + CORPUS_RESOURCE + " is missing from the classpath");
            }
            return new GZIPInputStream(in).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
