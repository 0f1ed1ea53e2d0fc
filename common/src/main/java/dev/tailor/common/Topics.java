package dev.tailor.common;

import java.util.List;

/** Kafka topic names of the Tailor event flow, one record type per topic (see DESIGN.md). */
public final class Topics {
    /** {@link dev.tailor.common.events.IngestRequested}, key datasetId: external producers → ingest. */
    public static final String INGEST_REQUESTED = "tailor.ingest.requested";
    /** {@link dev.tailor.common.events.DatasetIngested}, key datasetId: ingest → cleaning. */
    public static final String DATASET_INGESTED = "tailor.dataset.ingested";
    /** {@link dev.tailor.common.events.DatasetCleaned}, key datasetId: cleaning → training, dashboards. */
    public static final String DATASET_CLEANED = "tailor.dataset.cleaned";
    /** {@link dev.tailor.common.events.TrainingRequested}, key jobId: REST/producers → training. */
    public static final String TRAINING_REQUESTED = "tailor.training.requested";
    /** {@link dev.tailor.common.events.TrainingProgress}, key jobId: training → dashboards, CLI. */
    public static final String TRAINING_PROGRESS = "tailor.training.progress";
    /** {@link dev.tailor.common.events.ModelTrained}, key modelId: training → eval. */
    public static final String MODEL_TRAINED = "tailor.model.trained";
    /** {@link dev.tailor.common.events.ModelEvaluated}, key modelId: eval → inference, dashboards. */
    public static final String MODEL_EVALUATED = "tailor.model.evaluated";
    /**
     * {@link dev.tailor.common.events.ModelDeployment}, key {tenant}/{alias}, compacted: inference (deployments API,
     * auto-deploy of promoted models) → every inference replica, ingest (status).
     */
    public static final String MODEL_DEPLOYMENTS = "tailor.model.deployments";
    /** {@link dev.tailor.common.events.CompletionLogged}, key completionId: inference → analytics, feedback. */
    public static final String COMPLETIONS_LOGGED = "tailor.completions.logged";
    /** {@link dev.tailor.common.events.CompletionFeedback}, key completionId: inference API → feedback collector. */
    public static final String COMPLETIONS_FEEDBACK = "tailor.completions.feedback";
    /** {@link dev.tailor.common.events.DatasetDeleted}, key datasetId: ingest → training (local copies erased). */
    public static final String DATASET_DELETED = "tailor.dataset.deleted";
    /** {@link dev.tailor.common.events.AuditEvent}, key {tenant}/{resourceId}: every service → audit consumers. */
    public static final String AUDIT = "tailor.audit";

    /** Every main topic (without dead-letter topics), in pipeline order. */
    public static final List<String> ALL = List.of(INGEST_REQUESTED, DATASET_INGESTED, DATASET_CLEANED,
            TRAINING_REQUESTED, TRAINING_PROGRESS, MODEL_TRAINED, MODEL_EVALUATED, MODEL_DEPLOYMENTS, COMPLETIONS_LOGGED,
            COMPLETIONS_FEEDBACK, DATASET_DELETED, AUDIT);

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}: records a consumer could not process go there. */
    public static String dlq(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return topic + ".dlq";
    }
}
