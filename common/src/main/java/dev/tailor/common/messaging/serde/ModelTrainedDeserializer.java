package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link ModelTrained} (validated by the record's constructor). */
public final class ModelTrainedDeserializer extends ObjectMapperDeserializer<ModelTrained> {
    public ModelTrainedDeserializer() {
        super(ModelTrained.class, Json.mapper());
    }
}
