package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link TrainingProgress} (validated by the record's constructor). */
public final class TrainingProgressDeserializer extends ObjectMapperDeserializer<TrainingProgress> {
    public TrainingProgressDeserializer() {
        super(TrainingProgress.class, Json.mapper());
    }
}
