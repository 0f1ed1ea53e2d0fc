package dev.tailor.common.messaging.serde;

import dev.tailor.common.events.CompletionLogged;
import dev.tailor.common.json.Json;
import io.quarkus.kafka.client.serialization.ObjectMapperDeserializer;

/** Kafka value deserializer of {@link CompletionLogged} (validated by the record's constructor). */
public final class CompletionLoggedDeserializer extends ObjectMapperDeserializer<CompletionLogged> {
    public CompletionLoggedDeserializer() {
        super(CompletionLogged.class, Json.mapper());
    }
}
