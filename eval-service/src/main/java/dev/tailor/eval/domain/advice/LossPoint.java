package dev.tailor.eval.domain.advice;

/**
 * One point of a training run's loss curve (from the job's {@code metrics.jsonl}).
 *
 * @param step           optimizer step (≥ 0)
 * @param epoch          epochs done at this step (fractional, ≥ 0)
 * @param trainLoss      training loss at this step (nats per token)
 * @param validationLoss validation loss at this step (nats per token), NaN where none was computed
 */
public record LossPoint(long step, double epoch, double trainLoss, double validationLoss) {

    public LossPoint {
        if (step < 0 || !(epoch >= 0) || Double.isInfinite(epoch)) {
            throw new IllegalArgumentException("a loss point needs step >= 0 and a finite epoch >= 0, got step="
                    + step + ", epoch=" + epoch);
        }
    }

    public boolean hasValidation() {
        return Double.isFinite(validationLoss);
    }
}
