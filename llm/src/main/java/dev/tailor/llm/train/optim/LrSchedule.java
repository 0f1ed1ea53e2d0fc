package dev.tailor.llm.train.optim;

import dev.tailor.common.events.TrainingParams;
/** Learning rate per optimizer step: linear warm-up, then cosine, linear or constant to the end. */
public final class LrSchedule {
    private final double peak;
    private final int totalSteps;
    private final int warmupSteps;
    private final String kind;

    public LrSchedule(double peak, int totalSteps, double warmupRatio, String kind) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        this.peak = peak;
        this.totalSteps = totalSteps;
        this.warmupSteps = (int) Math.ceil(warmupRatio * totalSteps);
        this.kind = kind;
    }

    public static LrSchedule of(TrainingParams params, int totalSteps) {
        return new LrSchedule(params.optimizer().learningRate(), totalSteps, params.schedule().warmupRatio(),
                params.schedule().scheduler());
    }

    public int warmupSteps() {
        return warmupSteps;
    }

    /** Rate for the 0-based optimizer step {@code step}. */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return switch (kind) {
            case "cosine" -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
            case "linear" -> peak * (1 - progress);
            case "constant" -> peak;
            default -> throw new IllegalArgumentException("unknown scheduler " + kind);
        };
    }
}
