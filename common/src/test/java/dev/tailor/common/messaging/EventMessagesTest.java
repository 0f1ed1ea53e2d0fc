package dev.tailor.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.json.Json;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.net.URI;
import java.time.ZoneOffset;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

class EventMessagesTest {
    private static final URI SOURCE = URI.create("urn:tailor:test");

    @Test
    void keyAndCloudEventsMetadataComeFromTheEvent() {
        ModelTrained event = ModelTrained.create("acme", "m-1", "job-1", "faq", "v1", "qwen",
                "s3://tailor/acme/models/tuned/m-1/", "s3://tailor/acme/datasets/faq/v1/test.jsonl", 1.2, null);
        Message<String> m = EventMessages.message(event, SOURCE);
        assertEquals(Json.write(event), m.getPayload());
        assertEquals("m-1", m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
        OutgoingCloudEventMetadata<?> ce = m.getMetadata(OutgoingCloudEventMetadata.class).orElseThrow();
        assertEquals(event.eventId(), ce.getId());
        assertEquals("dev.tailor.model.trained", ce.getType());
        assertEquals(SOURCE, ce.getSource());
        assertEquals("m-1", ce.getSubject().orElseThrow());
        assertEquals(event.occurredAt().atZone(ZoneOffset.UTC), ce.getTimeStamp().orElseThrow());
    }

    @Test
    void cloudEventTypesAreTheRecordNamesInDottedLowerCase() {
        assertEquals("dev.tailor.model.deployment", EventTypes.cloudEventType(ModelDeployment.class));
        assertEquals("dev.tailor.dataset.ingested",
                EventTypes.cloudEventType(dev.tailor.common.events.DatasetIngested.class));
    }
}
