package dev.tailor.inference.messaging;

/** Channel names of this service; their topics are mapped in application.properties. */
public final class Channels {
    /** In: {@code tailor.model.deployments} (compacted; every replica reads all of it). */
    public static final String MODEL_DEPLOYMENTS = "model-deployments";
    /** Out: {@code tailor.model.deployments} (the deployments API and auto-deploy). */
    public static final String DEPLOYMENTS_OUT = "deployments-out";
    /** In: {@code tailor.model.evaluated}, every replica (promoted models become servable by their modelId). */
    public static final String MODEL_EVALUATED = "model-evaluated";
    /** In: {@code tailor.model.evaluated}, one replica per record (shared group): promoted models are deployed. */
    public static final String MODEL_EVALUATED_DEPLOYER = "model-evaluated-deployer";
    /** Out: {@code tailor.completions.logged}. */
    public static final String COMPLETIONS_LOGGED = "completions-logged";
    /** Out: {@code tailor.completions.feedback}. */
    public static final String COMPLETIONS_FEEDBACK_OUT = "completions-feedback-out";
    /** In: {@code tailor.completions.feedback}, one replica per record (shared group): the feedback collector. */
    public static final String COMPLETIONS_FEEDBACK = "completions-feedback";
    /** Out: {@code tailor.audit} (deployment changes). */
    public static final String AUDIT = "audit";

    private Channels() {
    }
}
