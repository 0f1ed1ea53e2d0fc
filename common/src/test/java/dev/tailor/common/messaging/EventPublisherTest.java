package dev.tailor.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.json.Json;
import dev.tailor.common.messaging.serde.EventSerializer;
import dev.tailor.common.messaging.serde.ModelTrainedDeserializer;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.ZoneOffset;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    private static final URI SOURCE = URI.create("urn:tailor:test");
    private final EventPublisher publisher = new EventPublisher("test");

    @Test
    void keyAndCloudEventsMetadataComeFromTheEvent() {
        ModelTrained event = ModelTrained.create("acme", "m-1", "job-1", "faq", "v1", "qwen",
                "s3://tailor/acme/models/tuned/m-1/", "s3://tailor/acme/datasets/faq/v1/test.jsonl", 1.2, null);
        Message<TailorEvent> m = publisher.message(event);
        assertEquals(event, m.getPayload());
        assertEquals(Json.write(event), new String(new EventSerializer().serialize("t", m.getPayload()),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("m-1", m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        OutgoingCloudEventMetadata<?> ce = m.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertEquals(event.eventId(), ce.getId());
        assertEquals("dev.tailor.model.trained", ce.getType());
        assertEquals(SOURCE, ce.getSource());
        assertEquals("m-1", ce.getSubject().orElseThrow());
        assertEquals(event.occurredAt().atZone(ZoneOffset.UTC), ce.getTimeStamp().orElseThrow());
    }

    @Test
    void everyServiceHasOneSourceSpelling() {
        assertEquals(URI.create("urn:tailor:ingest-service"), EventPublisher.source("ingest-service"));
        assertEquals(SOURCE, publisher.source());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EventPublisher.source("tailor/training-service:1"));
    }

    @Test
    void theSerdesRoundTripTheRecordWithTheSharedMapper() {
        ModelTrained event = ModelTrained.create("acme", "m-1", "job-1", "faq", "v1", "qwen",
                "s3://tailor/acme/models/tuned/m-1/", "s3://tailor/acme/datasets/faq/v1/test.jsonl", null, null);
        byte[] bytes = new EventSerializer().serialize("tailor.model.trained", event);
        org.junit.jupiter.api.Assertions.assertFalse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                .contains("trainLoss"), "nulls are left out");
        assertEquals(event, new ModelTrainedDeserializer().deserialize("tailor.model.trained", bytes));
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> new ModelTrainedDeserializer()
                .deserialize("tailor.model.trained", "{\"modelId\":\"m-1\"}".getBytes()));
    }

    @Test
    void cloudEventTypesAreTheRecordNamesInDottedLowerCase() {
        assertEquals("dev.tailor.model.deployment", EventTypes.cloudEventType(ModelDeployment.class));
        assertEquals("dev.tailor.dataset.ingested",
                EventTypes.cloudEventType(dev.tailor.common.events.DatasetIngested.class));
    }
}
