package dev.tailor.llm.train;

import java.nio.file.Path;

/**
 * @param steps optimizer steps done
 * @param trainLoss mean answer-token loss over the last (up to 10) steps
 * @param validationLoss last validation loss (the best one when early stopping restored it), null without validation data
 */
public record TrainResult(int steps, double trainLoss, Double validationLoss, Path outputDir, boolean stoppedEarly) {
}
