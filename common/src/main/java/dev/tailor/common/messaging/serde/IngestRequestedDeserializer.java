package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.IngestRequested;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link IngestRequested} (validated by the record's constructor). */
public final class IngestRequestedDeserializer extends ObjectMapperDeserializer<IngestRequested> {
    public IngestRequestedDeserializer() {
        super(IngestRequested.class, Json.mapper());
    }
}
