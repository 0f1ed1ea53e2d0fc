package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link DatasetCleaned} (validated by the record's constructor). */
public final class DatasetCleanedDeserializer extends ObjectMapperDeserializer<DatasetCleaned> {
    public DatasetCleanedDeserializer() {
        super(DatasetCleaned.class, Json.mapper());
    }
}
