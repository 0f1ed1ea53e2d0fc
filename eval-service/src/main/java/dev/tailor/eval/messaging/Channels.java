package dev.tailor.eval.messaging;

/** Channel names of this service; their topics are mapped in application.properties. */
public final class Channels {
    /** In: {@code tailor.model.trained}. */
    public static final String MODEL_TRAINED = "model-trained";
    /** Out: {@code tailor.model.evaluated}. */
    public static final String MODEL_EVALUATED = "model-evaluated";
    /** Out: {@code tailor.audit}. */
    public static final String AUDIT = "audit";

    private Channels() {
    }
}
