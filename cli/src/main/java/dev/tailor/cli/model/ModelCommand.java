package dev.tailor.cli.model;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tailor model}: inspect, run, import, fine-tune and merge models (Hugging Face checkpoint folders). */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Work with models: Hugging Face checkpoint folders (config.json, *.safetensors, tokenizer.json)"
                + " and PEFT LoRA adapter folders (adapter_config.json, adapter_model.safetensors).",
        subcommands = {
                LogitsCommand.class,
                GenerateCommand.class,
                ImportCommand.class,
                MergeCommand.class,
                FinetuneCommand.class,
                PretrainCommand.class
        })
public final class ModelCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
