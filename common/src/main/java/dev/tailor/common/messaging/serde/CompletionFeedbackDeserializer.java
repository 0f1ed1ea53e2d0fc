package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link CompletionFeedback} (validated by the record's constructor). */
public final class CompletionFeedbackDeserializer extends ObjectMapperDeserializer<CompletionFeedback> {
    public CompletionFeedbackDeserializer() {
        super(CompletionFeedback.class, Json.mapper());
    }
}
