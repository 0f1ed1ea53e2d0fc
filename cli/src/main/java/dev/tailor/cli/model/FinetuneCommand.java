package dev.tailor.cli.model;

import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingParamsJson;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.train.CancellationToken;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.train.TrainResult;
import dev.tailor.llm.train.TrainingCancelledException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tailor model finetune}: LoRA or full fine-tuning from JSONL, parameters from flags and/or YAML. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a base model on a JSONL file ({\"messages\":[...]}, {\"prompt\",\"completion\"} or "
                + "{\"text\"} per line) and write a PEFT adapter (LoRA) or a full checkpoint, plus training.json, "
                + "metrics.jsonl and resumable checkpoints/ (rerun the same command to resume).",
                "Parameter precedence: defaults < --config YAML < flags. The YAML file holds the JSON form of the "
                + "REST API's params (nested: lora, optimizer, schedule, data, evaluation; or the flat names of the "
                + "flags), keys in camelCase or snake_case."})
public final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "Base model folder (Hugging Face layout).")
    Path model;
    @Option(names = "--train", required = true, description = "Training examples, JSONL.")
    Path train;
    @Option(names = "--validation", description = "Validation examples, JSONL (validation loss, early stopping).")
    Path validation;
    @Option(names = "--config", description = "YAML file of training parameters (as the REST API's params).")
    Path config;
    @Option(names = "--out", defaultValue = "finetuned", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--method", description = "lora | full (default lora)") String method;
    @Option(names = "--lora-rank", description = "LoRA rank (default 8)") Integer loraRank;
    @Option(names = "--lora-alpha", description = "LoRA alpha (default 16)") Double loraAlpha;
    @Option(names = "--lora-dropout", description = "LoRA dropout (default 0.05)") Double loraDropout;
    @Option(names = "--target-modules", description = "Comma-separated projections (default q_proj,v_proj)")
    String targetModules;
    @Option(names = "--epochs", description = "Epochs (default 2)") Integer epochs;
    @Option(names = "--max-steps", description = "Optimizer steps, 0 = from epochs (default 0)") Integer maxSteps;
    @Option(names = {"--learning-rate", "--lr"}, description = "Peak learning rate (default 2e-3)") Double learningRate;
    @Option(names = "--batch-size", description = "Examples per micro-batch (default 8)") Integer batchSize;
    @Option(names = "--gradient-accumulation", description = "Micro-batches per step (default 1)")
    Integer gradientAccumulation;
    @Option(names = "--max-seq-length", description = "Tokens per example (default 256)") Integer maxSeqLength;
    @Option(names = "--warmup-ratio", description = "Warm-up fraction (default 0.1)") Double warmupRatio;
    @Option(names = "--scheduler", description = "cosine | linear | constant (default cosine)") String scheduler;
    @Option(names = "--weight-decay", description = "AdamW weight decay (default 0)") Double weightDecay;
    @Option(names = "--max-grad-norm", description = "Gradient clipping, 0 = off (default 1.0)") Double maxGradNorm;
    @Option(names = "--seed", description = "Seed for init, data order and dropout (default 42)") Long seed;
    @Option(names = "--eval-every", description = "Validate every N steps (default 20)") Integer evalEvery;
    @Option(names = "--early-stopping-patience", description = "Stop after N validations without improvement, 0 = off")
    Integer earlyStoppingPatience;
    @Option(names = "--packing", arity = "0..1", fallbackValue = "true", description = "Pack short examples (default false)")
    Boolean packing;
    @Option(names = "--checkpoint-every", description = "Checkpoint every N steps, 0 = off (default 50)")
    Integer checkpointEvery;

    @Override
    public Integer call() throws IOException {
        TrainingParams params = FinetuneParams.resolve(config, flags());
        List<ChatExample> trainSet = FineTune.readSplit(train);
        List<ChatExample> valSet = validation == null ? List.of() : FineTune.readSplit(validation);
        System.err.printf(Locale.ROOT, "fine-tuning %s (%s) on %d examples (%d validation) -> %s%n", model,
                params.usesLora() ? "LoRA r=" + params.lora().rank() + " on " + params.lora().targetModules().stream()
                        .map(Projection::moduleName).collect(Collectors.joining(",")) : "full",
                trainSet.size(), valSet.size(), out.toAbsolutePath());
        CancellationToken cancel = new CancellationToken();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> { // Ctrl-C: stop after the current step and save a checkpoint first
            cancel.cancel();
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        RunOptions run = RunOptions.to(out).withListener(new TrainProgressPrinter(System.err)).withCancel(cancel)
                .withCheckpointEvery(checkpointEvery == null ? RunOptions.DEFAULT_CHECKPOINT_EVERY : checkpointEvery);
        try {
            TrainResult r = FineTune.run(model, trainSet, valSet, params, run);
            String val = "";
            if (r.validationLoss() != null) {
                com.fasterxml.jackson.databind.JsonNode before = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(out.resolve("training.json").toFile()).at("/result/initialValidationLoss");
                val = before.isNumber()
                        ? String.format(Locale.ROOT, ", validation loss %.4f -> %.4f", before.asDouble(), r.validationLoss())
                        : String.format(Locale.ROOT, ", validation loss %.4f", r.validationLoss());
            }
            System.out.printf(Locale.ROOT, "done: %d steps, train loss %.4f%s%s -> %s%n", r.steps(), r.trainLoss(), val,
                    r.stoppedEarly() ? " (stopped early)" : "", out.toAbsolutePath());
            return 0;
        } catch (TrainingCancelledException e) {
            System.err.println();
            System.err.println(e.getMessage());
            return 130;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already shutting down: the hook has run
            }
        }
    }

    /**
     * The training-parameter options given on the command line, by their flat JSON name (each option field is named
     * after one; {@code --checkpoint-every} is a run option, not a parameter).
     */
    Map<String, Object> flags() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : TrainingParamsJson.FLAT_TO_NESTED.keySet()) {
            try {
                m.put(name, FinetuneCommand.class.getDeclaredField(name).get(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("finetune has no option for the training parameter " + name, e);
            }
        }
        return m;
    }
}
