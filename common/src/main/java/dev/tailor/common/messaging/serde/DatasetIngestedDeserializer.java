package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link DatasetIngested} (validated by the record's constructor). */
public final class DatasetIngestedDeserializer extends ObjectMapperDeserializer<DatasetIngested> {
    public DatasetIngestedDeserializer() {
        super(DatasetIngested.class, Json.mapper());
    }
}
