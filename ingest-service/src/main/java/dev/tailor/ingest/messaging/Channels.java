package dev.tailor.ingest.messaging;

/** Channel names of this service; topics are mapped in application.properties. */
public final class Channels {
    /** Outgoing {@code DatasetIngested}. */
    public static final String DATASET_INGESTED = "dataset-ingested";
    /** Incoming {@code IngestRequested} (objects already in the bucket). */
    public static final String INGEST_REQUESTED = "ingest-requested";
    /** Incoming events of every later stage, to keep each dataset's status document. */
    public static final String PIPELINE_EVENTS = "pipeline-events";
    /** Incoming records of every dead-letter topic, recorded as errors of their dataset. */
    public static final String PIPELINE_ERRORS = "pipeline-errors";

    private Channels() {
    }
}
