package dev.tailor.llm.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How one training run is carried out, apart from its {@code TrainingParams}: where its outputs go, how often it
 * saves a resumable checkpoint, who hears its progress and what stops it.
 *
 * @param outputDir       the trained model, {@code training.json}, {@code metrics.jsonl} and {@code checkpoints/};
 *                        a run resumes from the newest checkpoint found there
 * @param checkpointEvery optimizer steps between resumable checkpoints; 0 = none
 * @param baseModelName   how a LoRA adapter names its base ({@code base_model_name_or_path}); null = the base's folder
 * @param initialAdapter  a PEFT adapter folder to continue training from (LoRA only; its rank, alpha and targets
 *                        replace the parameters'), or null to start from fresh adapters
 */
public record RunOptions(Path outputDir, int checkpointEvery, String baseModelName, ProgressListener listener,
                         CancellationToken cancel, Path initialAdapter) {
    /** Checkpoints every 50 steps unless told otherwise (a lost run repeats at most that much). */
    public static final int DEFAULT_CHECKPOINT_EVERY = 50;

    public RunOptions {
        Objects.requireNonNull(outputDir, "outputDir");
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0 (0 = no checkpoints), got "
                    + checkpointEvery);
        }
        listener = listener == null ? ProgressListener.NONE : listener;
        cancel = cancel == null ? CancellationToken.none() : cancel;
    }

    public RunOptions(Path outputDir, int checkpointEvery, String baseModelName, ProgressListener listener,
                      CancellationToken cancel) {
        this(outputDir, checkpointEvery, baseModelName, listener, cancel, null);
    }

    /** Into {@code outputDir}, checkpoints every {@value #DEFAULT_CHECKPOINT_EVERY} steps, nobody listening. */
    public static RunOptions to(Path outputDir) {
        return new RunOptions(outputDir, DEFAULT_CHECKPOINT_EVERY, null, null, null);
    }

    public RunOptions withCheckpointEvery(int steps) {
        return new RunOptions(outputDir, steps, baseModelName, listener, cancel, initialAdapter);
    }

    public RunOptions withBaseModelName(String name) {
        return new RunOptions(outputDir, checkpointEvery, name, listener, cancel, initialAdapter);
    }

    public RunOptions withListener(ProgressListener l) {
        return new RunOptions(outputDir, checkpointEvery, baseModelName, l, cancel, initialAdapter);
    }

    public RunOptions withCancel(CancellationToken token) {
        return new RunOptions(outputDir, checkpointEvery, baseModelName, listener, token, initialAdapter);
    }

    /** Continue from the PEFT adapter in {@code dir} (a tuned model trained further). */
    public RunOptions withInitialAdapter(Path dir) {
        return new RunOptions(outputDir, checkpointEvery, baseModelName, listener, cancel, dir);
    }
}
