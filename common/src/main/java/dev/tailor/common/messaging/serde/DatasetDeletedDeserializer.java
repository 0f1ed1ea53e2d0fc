package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link DatasetDeleted} (validated by the record's constructor). */
public final class DatasetDeletedDeserializer extends ObjectMapperDeserializer<DatasetDeleted> {
    public DatasetDeletedDeserializer() {
        super(DatasetDeleted.class, Json.mapper());
    }
}
