package dev.tailor.cleaning.messaging;

/** Channel names of this service; topics are mapped in application.properties. */
public final class Channels {
    /** Incoming {@code DatasetIngested} events. */
    public static final String DATASET_INGESTED = "dataset-ingested";
    /** Outgoing {@code DatasetCleaned} events. */
    public static final String DATASET_CLEANED = "dataset-cleaned";
    /** Outgoing {@code AuditEvent}. */
    public static final String AUDIT = "audit";

    private Channels() {
    }
}
