package dev.tailor.ingest.messaging;

/** Channel names of this service; topics are mapped in application.properties. */
public final class Channels {
    /** Outgoing {@code DatasetIngested}. */
    public static final String DATASET_INGESTED = "dataset-ingested";
    /** Outgoing {@code DatasetDeleted} (services erase their local copies). */
    public static final String DATASET_DELETED = "dataset-deleted";
    /** Outgoing {@code AuditEvent}. */
    public static final String AUDIT = "audit";
    /** Incoming {@code IngestRequested} (objects already in the bucket). */
    public static final String INGEST_REQUESTED = "ingest-requested";
    /** Incoming events of the later stages, one channel per topic, for each dataset's status. */
    public static final String DATASET_CLEANED = "status-dataset-cleaned";
    public static final String TRAINING_REQUESTED = "status-training-requested";
    public static final String TRAINING_PROGRESS = "status-training-progress";
    public static final String MODEL_TRAINED = "status-model-trained";
    public static final String MODEL_EVALUATED = "status-model-evaluated";
    public static final String MODEL_DEPLOYMENTS = "status-model-deployments";
    /** Incoming records of every dead-letter topic, recorded as errors of their dataset. */
    public static final String PIPELINE_ERRORS = "pipeline-errors";

    private Channels() {
    }
}
