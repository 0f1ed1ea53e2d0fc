package dev.tailor.training.messaging;

/** Channel names of this service; their topics are mapped in application.properties. */
public final class Channels {
    /** In: {@code tailor.training.requested}. */
    public static final String TRAINING_REQUESTED = "training-requested";
    /** Out: {@code tailor.training.requested} (jobs of the REST API and of auto-training). */
    public static final String TRAINING_REQUESTS_OUT = "training-requests-out";
    /** In: {@code tailor.dataset.cleaned} (auto-training). */
    public static final String DATASET_CLEANED = "dataset-cleaned";
    /** In: {@code tailor.dataset.deleted} (local copies of an erased dataset are deleted). */
    public static final String DATASET_DELETED = "dataset-deleted";
    /** Out: {@code tailor.audit}. */
    public static final String AUDIT = "audit";
    /** Out: {@code tailor.training.progress}. */
    public static final String TRAINING_PROGRESS = "training-progress";
    /** Out: {@code tailor.model.trained}. */
    public static final String MODEL_TRAINED = "model-trained";

    private Channels() {
    }
}
