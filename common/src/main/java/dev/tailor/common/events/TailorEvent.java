package dev.tailor.common.events;

import java.time.Instant;

/** The envelope every Tailor event starts with. */
public interface TailorEvent {
    /** Version of the event's JSON Schema this record was written with. */
    int SCHEMA_VERSION = 1;
    /** What every event's JSON Schema says about compatibility. */
    String NEW_FIELDS = "New fields are added as optional properties; readers ignore unknown ones.";

    /** Random UUID, unique per event (also the CloudEvents id). */
    String eventId();

    int schemaVersion();

    Instant occurredAt();

    /** Tenant owning the data; the first segment of every object key. */
    String tenant();

    /** The Kafka record key that orders this event (datasetId, jobId, modelId or alias). */
    String key();
}
