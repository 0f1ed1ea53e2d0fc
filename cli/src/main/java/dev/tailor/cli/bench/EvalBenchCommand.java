package dev.tailor.cli.bench;

import dev.tailor.cli.support.RepoRoot;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.generate.GenerationRequest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tailor bench eval}: what an evaluation spends its time on, per model: the answer-token loss of every test
 * example and a greedy answer to each, generated batched (as the eval service does) and one at a time, in
 * examples/s.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluation throughput for a checkpoint (--model DIR, required): answer-token losses and greedy "
                + "answers of the first --examples chat examples of a JSONL file, batched and one at a time, in "
                + "examples/s. An evaluation does this for both models. Set OMP_WAIT_POLICY=PASSIVE on a shared machine.")
public final class EvalBenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Checkpoint folder (HF layout).") Path model;
    @Option(names = "--dataset", description = "JSONL examples (default: examples/support-faq.jsonl).") Path dataset;
    @Option(names = "--examples", defaultValue = "30", description = "Examples (default ${DEFAULT-VALUE}).") int examples;
    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Tokens per answer (default ${DEFAULT-VALUE}).")
    int maxNewTokens;
    @Option(names = "--max-seq-length", defaultValue = "512", description = "Loss: tokens per example (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Override
    public Integer call() throws Exception {
        Path input = dataset != null ? dataset : RepoRoot.find().resolve("examples/support-faq.jsonl");
        List<ChatExample> all;
        try (InputStream in = Files.newInputStream(input)) {
            all = ChatExample.readJsonl(in, input.toString(), Integer.MAX_VALUE);
        }
        try (LanguageModel lm = LanguageModel.load(model)) {
            List<ChatExample> chosen = new ArrayList<>();
            List<GenerationRequest> requests = new ArrayList<>();
            for (ChatExample e : all) {
                if (requests.size() == examples) {
                    break;
                }
                if (e.isText() || e.messages().size() < 2) {
                    continue;
                }
                try {
                    int[] prompt = lm.chatPrompt(e.messages().subList(0, e.messages().size() - 1));
                    int room = lm.config().maxPositionEmbeddings() - prompt.length;
                    if (room > 0) {
                        requests.add(GenerationRequest.greedy(prompt, Math.min(maxNewTokens, room)));
                        chosen.add(e);
                    }
                } catch (ChatTemplateException refused) {
                    // the template refuses this one: an evaluation leaves it out too
                }
            }
            int seq = Math.min(maxSeqLength, lm.config().maxPositionEmbeddings());
            lm.generateBatch(requests.subList(0, Math.min(2, requests.size()))); // warm-up
            long t0 = System.nanoTime();
            lm.answerLosses(chosen, null, seq);
            double loss = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            int tokens = lm.generateBatch(requests).stream().mapToInt(r -> r.completionTokens()).sum();
            double batched = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            for (GenerationRequest r : requests) {
                lm.generate(r, null);
            }
            double single = (System.nanoTime() - t0) / 1e9;
            int n = requests.size();
            System.out.printf(Locale.ROOT, "%s: %d examples, up to %d new tokens each (%d generated)%n", model, n,
                    maxNewTokens, tokens);
            System.out.printf(Locale.ROOT, "  answer-token losses          : %6.1f examples/s (%.2f s)%n", n / loss, loss);
            System.out.printf(Locale.ROOT, "  greedy answers, batched      : %6.1f examples/s (%.2f s, %.0f tokens/s)%n",
                    n / batched, batched, tokens / batched);
            System.out.printf(Locale.ROOT, "  greedy answers, one at a time: %6.1f examples/s (%.2f s)  batched/one: %.2fx%n",
                    n / single, single, single / batched);
            System.out.printf(Locale.ROOT, "  an evaluation (both models, batched): about %.1f s for losses and answers%n",
                    2 * (loss + batched));
        }
        return 0;
    }
}
