package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link TrainingRequested} (validated by the record's constructor). */
public final class TrainingRequestedDeserializer extends ObjectMapperDeserializer<TrainingRequested> {
    public TrainingRequestedDeserializer() {
        super(TrainingRequested.class, Json.mapper());
    }
}
