package dev.tailor.eval.domain.gate;

/**
 * One aggregate number measured for both models, e.g. mean answer-token loss (nats) or perplexity. Values may be
 * NaN or infinite (a diverged model); the gate says so instead of failing.
 */
public record BaseTuned(double base, double tuned) {

    /** tuned / base − 1: +0.05 means the tuned value is 5 % higher. NaN when base is not a positive number. */
    public double relativeChange() {
        return base > 0 && Double.isFinite(base) ? tuned / base - 1 : Double.NaN;
    }
}
