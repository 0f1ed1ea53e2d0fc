package dev.tailor.eval.domain.gate;

/**
 * The tuned model's mean answer-token loss on the test split must fall below the base model's by more than
 * {@code minRelativeImprovement} (0 = any decrease, 0.02 = more than 2 %; default 0).
 */
public record LossCondition(Double minRelativeImprovement) {

    public LossCondition {
        minRelativeImprovement = minRelativeImprovement == null ? 0.0 : minRelativeImprovement;
        if (!(minRelativeImprovement >= 0 && minRelativeImprovement < 1)) {
            throw new IllegalArgumentException("loss.minRelativeImprovement must be in [0, 1), e.g. 0.02 for 2 %; got "
                    + minRelativeImprovement);
        }
    }
}
