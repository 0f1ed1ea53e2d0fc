package dev.tailor.cli.model;

import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor model generate}: sample a continuation with the KV-cache generator. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate a continuation of token ids or of a text prompt.",
                "With --json prints {\"ids\": [...], \"tokens_per_second\": ...} (ids include the prompt; speed of "
                        + "generation after loading); otherwise streams the text to stdout and reports tokens/s on "
                        + "stderr."})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model folder (Hugging Face layout).")
    Path model;
    @Option(names = "--adapter", description = "PEFT LoRA adapter folder to apply.")
    Path adapter;

    static final class Input {
        @Option(names = "--ids", required = true, description = "Comma-separated prompt token ids, e.g. 1,75,104.")
        String ids;
        @Option(names = "--prompt", required = true, description = "Prompt text (BOS added when the model uses one).")
        String prompt;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--chat", description = "Wrap --prompt as a user message in the model's chat template.")
    boolean chat;
    @Option(names = "--max-new-tokens", defaultValue = "128", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxNewTokens;
    @Option(names = "--greedy", description = "Greedy decoding (same as --temperature 0).")
    boolean greedy;
    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature, 0 = greedy (default ${DEFAULT-VALUE}).")
    double temperature;
    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens, 0 = off (default ${DEFAULT-VALUE}).")
    int topK;
    @Option(names = "--top-p", defaultValue = "0.95", description = "Nucleus sampling mass, 1 = off (default ${DEFAULT-VALUE}).")
    double topP;
    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "HF repetition penalty, 1 = off (default ${DEFAULT-VALUE}).")
    double repetitionPenalty;
    @Option(names = "--stop", description = "Stop sequence (repeatable).")
    List<String> stop;
    @Option(names = "--seed", description = "Random seed for sampling.")
    Long seed;
    @Option(names = "--json", description = "Print only {\"ids\": [...], \"tokens_per_second\": ...} on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (LanguageModel m = LanguageModel.load(model)) {
            if (adapter != null) {
                m.loadAdapter("cli", adapter);
            }
            int[] promptIds;
            if (input.ids != null) {
                promptIds = Ids.parse(input.ids);
            } else if (chat) {
                promptIds = m.chatPrompt(List.of(new ChatMessage("user", input.prompt)),
                        adapter == null ? null : "cli");
            } else {
                promptIds = m.tokenizer(adapter == null ? null : "cli").encode(input.prompt, true);
            }
            GenerationRequest req = new GenerationRequest(promptIds, maxNewTokens, greedy ? 0 : temperature, topK,
                    topP, repetitionPenalty, stop, seed, adapter == null ? null : "cli");
            // warm-up: the first forward passes of a fresh JVM initialise kernels and JIT; the speed reported is
            // that of generation on a loaded model
            m.generate(GenerationRequest.greedy(promptIds, Math.min(4, maxNewTokens)).withAdapter(req.adapter()), null);
            if (json) {
                GenerationResult r = m.generate(req, null);
                out.println("{\"ids\": " + Ids.json(r.ids()) + ", \"tokens_per_second\": "
                        + String.format(Locale.ROOT, "%.2f", r.tokensPerSecond()) + "}");
            } else {
                if (input.prompt != null && !chat) {
                    out.print(input.prompt);
                }
                GenerationResult r = m.generate(req, (id, delta) -> {
                    out.print(delta);
                    out.flush();
                });
                out.println();
                System.err.printf(Locale.ROOT, "[%d prompt + %d generated tokens, %.1f tokens/s, finish: %s]%n",
                        r.promptTokens(), r.completionTokens(), r.tokensPerSecond(), r.finishReason());
            }
        }
        return 0;
    }
}
