package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link AuditEvent} (validated by the record's constructor). */
public final class AuditEventDeserializer extends ObjectMapperDeserializer<AuditEvent> {
    public AuditEventDeserializer() {
        super(AuditEvent.class, Json.mapper());
    }
}
