package dev.tailor.inference.messaging;

/** Channel names of this service; their topics are mapped in application.properties. */
public final class Channels {
    /** In: {@code tailor.model.deployments} (compacted; every replica reads all of it). */
    public static final String MODEL_DEPLOYMENTS = "model-deployments";
    /** In: {@code tailor.model.evaluated} (promoted models become servable by their modelId). */
    public static final String MODEL_EVALUATED = "model-evaluated";

    private Channels() {
    }
}
