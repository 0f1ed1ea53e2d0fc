package dev.tailor.cli.model;

import dev.tailor.llm.LanguageModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor model merge}: fold a LoRA adapter into its base and export a full checkpoint. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Merge a PEFT LoRA adapter into its base model (W + alpha/r * B A) and write a full Hugging Face"
                + " checkpoint (config.json, model.safetensors, tokenizer files) to --out.")
public final class MergeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Base model folder.")
    Path model;
    @Option(names = "--adapter", required = true, description = "PEFT LoRA adapter folder.")
    Path adapter;
    @Option(names = "--out", required = true, description = "Destination folder of the merged checkpoint.")
    Path out;

    @Override
    public Integer call() {
        try (LanguageModel m = LanguageModel.load(model)) {
            m.saveMerged(adapter, out);
        }
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
