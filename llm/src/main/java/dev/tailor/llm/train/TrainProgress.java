package dev.tailor.llm.train;

/**
 * Progress after an optimizer step (1-based {@code step}).
 *
 * @param epoch 1-based epoch of the step
 * @param validationLoss set on steps where validation ran, else null
 */
public record TrainProgress(int step, int totalSteps, int epoch, double loss, double learningRate,
                            double tokensPerSecond, double etaSeconds, Double validationLoss) {
}
