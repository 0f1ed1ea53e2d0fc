package dev.tailor.eval.domain;

import java.util.Locale;

/**
 * The promotion gate: a tuned model is promoted when its mean answer-token loss on the held-out test split is
 * lower than the base model's by at least {@code minImprovement} (relative).
 *
 * @param verdict PROMOTE or REJECT
 * @param reason  one sentence a person can act on
 */
public record Verdict(String verdict, String reason, double relativeImprovement) {
    public static final String PROMOTE = "PROMOTE";
    public static final String REJECT = "REJECT";

    public static Verdict decide(double baseLoss, double tunedLoss, double minImprovement) {
        if (!(minImprovement >= 0 && minImprovement < 1)) {
            throw new IllegalArgumentException("minImprovement must be in [0, 1), got " + minImprovement);
        }
        if (!Double.isFinite(tunedLoss)) {
            return new Verdict(REJECT, "the tuned model's test loss is " + tunedLoss
                    + "; the training diverged, retrain with a lower learning rate", Double.NaN);
        }
        if (!Double.isFinite(baseLoss) || baseLoss <= 0) {
            return new Verdict(REJECT, "the base model's test loss is " + baseLoss
                    + ", so no relative improvement can be measured", Double.NaN);
        }
        double relative = (baseLoss - tunedLoss) / baseLoss;
        String numbers = String.format(Locale.ROOT, "test loss %.4f vs base %.4f (%+.1f %%, needed %.1f %%)",
                tunedLoss, baseLoss, -100 * relative, -100 * minImprovement);
        if (relative >= minImprovement) {
            return new Verdict(PROMOTE, "improves on the base model: " + numbers, relative);
        }
        return new Verdict(REJECT, "does not improve enough on the base model: " + numbers
                + "; train longer, with more data, or lower tailor.eval.min-improvement", relative);
    }
}
