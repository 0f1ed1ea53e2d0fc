package dev.tailor.cli.model;

import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.io.CheckpointWriter;
import dev.tailor.llm.io.HubClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tailor model import}: bring a checkpoint from a local folder or the Hugging Face Hub into a folder. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import a base model: check that Tailor can load it, then copy its config, safetensors "
                + "weights and tokenizer files into --out.",
                "From the Hub: --hub HuggingFaceTB/SmolLM2-135M (HF_TOKEN for gated repos, HF_ENDPOINT for mirrors)."})
public final class ImportCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FOLDER", description = "Local Hugging Face checkpoint folder.")
    Path positional;
    @Option(names = "--from", description = "Local Hugging Face checkpoint folder (same as FOLDER).")
    Path folder;
    @Option(names = "--hub", description = "Hub repo id, e.g. Qwen/Qwen2.5-0.5B-Instruct.")
    String repoId;
    @Option(names = "--revision", defaultValue = "main", description = "Hub revision (default ${DEFAULT-VALUE}).")
    String revision;
    @Option(names = "--endpoint", description = "Hub endpoint (default $HF_ENDPOINT or https://huggingface.co).")
    String endpoint;
    @Option(names = "--cache", description = "Download cache (default ~/.cache/tailor/hub).")
    Path cache;
    @Option(names = "--out", required = true, description = "Destination folder.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Path from = folder != null ? folder : positional;
        if ((from == null) == (repoId == null)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "Give either a local FOLDER (or --from FOLDER) or --hub REPO_ID");
        }
        if (repoId != null) {
            HubClient env = HubClient.fromEnvironment();
            HubClient hub = endpoint == null && cache == null ? env : new HubClient(
                    endpoint != null ? endpoint : System.getenv().getOrDefault("HF_ENDPOINT", HubClient.DEFAULT_ENDPOINT),
                    System.getenv("HF_TOKEN"),
                    cache != null ? cache : Path.of(System.getProperty("user.home"), ".cache", "tailor", "hub"));
            System.err.println("Downloading " + repoId + "@" + revision + " ...");
            from = hub.download(repoId, revision);
        }
        try (LanguageModel m = LanguageModel.load(from)) {
            System.err.printf("Loaded %s: %d layers, hidden %d, vocab %d%n", m.config().architecture(),
                    m.config().numLayers(), m.config().hiddenSize(), m.config().vocabSize());
        }
        CheckpointWriter.copyCheckpoint(from, out);
        System.out.println(out.toAbsolutePath());
        return 0;
    }
}
