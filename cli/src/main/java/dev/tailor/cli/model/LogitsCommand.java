package dev.tailor.cli.model;

import dev.tailor.llm.LanguageModel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor model logits}: the vocabulary logits of every input position, as JSON on stdout. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Print {\"logits\": [[...], ...]} (one row of vocabulary logits per input position) on stdout.")
public final class LogitsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Model folder (Hugging Face layout).")
    Path model;
    @Option(names = "--adapter", description = "PEFT LoRA adapter folder to apply.")
    Path adapter;
    @Option(names = "--ids", required = true, description = "Comma-separated token ids, e.g. 1,75,104.")
    String ids;

    @Override
    public Integer call() {
        int[] tokens = Ids.parse(ids);
        try (LanguageModel m = LanguageModel.load(model)) {
            if (adapter != null) {
                m.loadAdapter("cli", adapter);
            }
            float[][] logits = m.logits(tokens, adapter == null ? null : "cli");
            StringBuilder sb = new StringBuilder(logits.length * logits[0].length * 12).append("{\"logits\": [");
            for (int t = 0; t < logits.length; t++) {
                sb.append(t == 0 ? "[" : ", [");
                for (int v = 0; v < logits[t].length; v++) {
                    if (v > 0) {
                        sb.append(", ");
                    }
                    sb.append(logits[t][v]);
                }
                sb.append(']');
            }
            sb.append("]}");
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            out.println(sb);
            out.flush();
        }
        return 0;
    }
}
