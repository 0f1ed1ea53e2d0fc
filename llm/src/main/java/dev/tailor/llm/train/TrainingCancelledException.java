package dev.tailor.llm.train;

/** Thrown when a {@link CancellationToken} stopped a run; a checkpoint at {@link #step()} was saved first. */
public final class TrainingCancelledException extends RuntimeException {
    private final int step;

    public TrainingCancelledException(int step) {
        super("training cancelled after step " + step + "; a checkpoint was saved, rerun to resume");
        this.step = step;
    }

    public int step() {
        return step;
    }
}
