package dev.tailor.cli.model;

import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.pretrain.PretrainConfig;
import dev.tailor.llm.pretrain.Pretrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor model pretrain}: the starter base model, a small Llama trained here from public-domain text. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Pretrain a small Llama-architecture model from scratch on public-domain English text "
                + "(Moby-Dick, bundled) with a byte-level tokenizer, and save it as a Hugging Face checkpoint "
                + "(config.json, model.safetensors, tokenizer.json, tokenizer_config.json with a chat template).",
                "Real users bring a real checkpoint instead (SmolLM2, Qwen2.5, Llama 3.2 ...)."})
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output folder.") Path out;
    @Option(names = "--steps", defaultValue = "600", description = "Optimizer steps (default ${DEFAULT-VALUE}, about 4 "
            + "minutes on 2 idle cores); the result is the same on every run with the same seed.")
    int steps;
    @Option(names = "--minutes", description = "Instead of --steps: as many steps as fit in M minutes on this machine "
            + "(measured, so not reproducible).")
    Double minutes;
    @Option(names = "--merges", defaultValue = "768", description = "BPE merges learned from the corpus; 0 = bytes only "
            + "(default ${DEFAULT-VALUE}).")
    int merges;
    @Option(names = {"--dim", "--hidden"}, defaultValue = "192", description = "Hidden size (default ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--layers", defaultValue = "3", description = "Layers (default ${DEFAULT-VALUE}).") int layers;
    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default ${DEFAULT-VALUE}).") int heads;
    @Option(names = "--intermediate", defaultValue = "512", description = "MLP size (default ${DEFAULT-VALUE}).")
    int intermediate;
    @Option(names = "--seq", defaultValue = "256", description = "Tokens per training window (default ${DEFAULT-VALUE}).")
    int seq;
    @Option(names = "--batch", defaultValue = "8", description = "Windows per step (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = {"--lr", "--learning-rate"}, defaultValue = "4e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).") double lr;
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--corpus", description = "A UTF-8 text file instead of the bundled Moby-Dick.") Path corpus;

    @Override
    public Integer call() throws Exception {
        PretrainConfig pc = new PretrainConfig(out, hidden, layers, heads, intermediate, seq, batch, lr,
                minutes != null ? 0 : steps, minutes != null ? minutes : 0, seed, corpus, merges);
        System.err.printf(Locale.ROOT, "pretraining dim %d, %d layers, %d heads, seq %d, batch %d%s -> %s%n", hidden,
                layers, heads, seq, batch, minutes == null ? ", " + steps + " steps" : ", ~" + minutes + " min", out);
        Pretrainer.Outcome o = Pretrainer.run(pc, new TrainProgressPrinter(System.err));
        System.out.printf(Locale.ROOT, "pretrained %.2f M parameters, vocabulary %d (%d merges; corpus %,d chars = %,d "
                        + "tokens), %d steps in %.0f s: train loss %.3f, validation loss %.3f nats/token -> %s%n",
                o.parameters() / 1e6, o.vocab(), merges, o.corpusChars(), o.corpusTokens(), o.steps(), o.seconds(),
                o.result().trainLoss(), o.result().validationLoss(), out.toAbsolutePath());
        try (LanguageModel m = LanguageModel.load(out)) {
            int[] prompt = m.tokenizer().encode("It was a ", true);
            GenerationResult g = m.generate(new GenerationRequest(prompt, 160, 0.8, 40, 0.95, 1.1, List.of(), seed,
                    null), null);
            System.out.println("sample: It was a " + g.text());
        }
        return 0;
    }
}
