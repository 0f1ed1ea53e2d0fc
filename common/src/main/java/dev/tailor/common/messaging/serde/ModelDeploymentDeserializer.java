package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link ModelDeployment} (validated by the record's constructor). */
public final class ModelDeploymentDeserializer extends ObjectMapperDeserializer<ModelDeployment> {
    public ModelDeploymentDeserializer() {
        super(ModelDeployment.class, Json.mapper());
    }
}
