package dev.tailor.training.domain;

/** Life cycle of a training job, as published in {@code TrainingProgress.state}. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
