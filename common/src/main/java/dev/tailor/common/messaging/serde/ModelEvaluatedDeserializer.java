package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link ModelEvaluated} (validated by the record's constructor). */
public final class ModelEvaluatedDeserializer extends ObjectMapperDeserializer<ModelEvaluated> {
    public ModelEvaluatedDeserializer() {
        super(ModelEvaluated.class, Json.mapper());
    }
}
