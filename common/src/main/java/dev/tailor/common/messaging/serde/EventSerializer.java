package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;

/** Kafka value serializer of every Tailor event: JSON with {@link Json#mapper()} (ISO instants, nulls left out). */
public final class EventSerializer extends ObjectMapperSerializer<TailorEvent> {
    public EventSerializer() {
        super(Json.mapper());
    }
}
