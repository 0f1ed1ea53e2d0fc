package dev.tailor.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tailor.common.Topics;
import dev.tailor.common.json.Json;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSchemaTest {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static Schema schema(String topic) throws Exception {
        try (InputStream in = EventSchemaTest.class.getClassLoader().getResourceAsStream(EventTypes.schemaResource(topic))) {
            assertNotNull(in, "schema of " + topic + " is on the classpath");
            return REGISTRY.getSchema(in);
        }
    }

    @Test
    void everyTopicHasASampleThatIsValidUnderItsSchemaAndRoundTrips() throws Exception {
        Set<String> covered = new HashSet<>();
        for (TailorEvent event : SampleEvents.all()) {
            String topic = EventTypes.topicOf(event.getClass());
            covered.add(topic);
            String json = Json.write(event);
            List<Error> errors = schema(topic).validate(Json.mapper().readTree(json));
            assertTrue(errors.isEmpty(), topic + ": " + errors + " in " + json);
            assertEquals(event, Json.read(json, event.getClass()), "round trip of " + topic);
            assertFalse(json.contains("\"key\""), "derived key() is not serialized: " + json);
        }
        assertEquals(Set.copyOf(Topics.ALL), covered);
    }

    @Test
    void schemasRejectAMissingEnvelopeFieldAndAcceptUnknownFields() throws Exception {
        for (TailorEvent event : SampleEvents.all()) {
            String topic = EventTypes.topicOf(event.getClass());
            ObjectNode node = (ObjectNode) Json.mapper().readTree(Json.write(event));
            node.put("addedInVersion2", "ignored by version-1 readers");
            assertTrue(schema(topic).validate(node).isEmpty(), topic);
            assertEquals(event, Json.mapper().treeToValue(node, event.getClass()));
            node.remove("tenant");
            assertFalse(schema(topic).validate(node).isEmpty(), topic + " without tenant must be invalid");
        }
    }

    @Test
    void instantsAreIso8601AndNullsAreLeftOut() throws Exception {
        TrainingProgress p = TrainingProgress.create("acme", "job-1", "QUEUED", 0, 0, 0, null, null, null, null, null, null);
        JsonNode node = Json.mapper().readTree(Json.write(p));
        assertTrue(node.get("occurredAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), node.toString());
        assertFalse(node.has("loss"));
        assertFalse(node.has("message"));
    }

    @Test
    void partialTrainingParamsTakeDefaultsForMissingFields() throws Exception {
        String json = "{\"eventId\":\"e1\",\"schemaVersion\":1,\"occurredAt\":\"2024-05-01T12:00:00Z\",\"tenant\":\"acme\","
                + "\"jobId\":\"job-1\",\"datasetId\":\"faq\",\"baseModel\":\"tiny\",\"params\":{\"loraRank\":16,\"epochs\":3}}";
        assertTrue(schema(Topics.TRAINING_REQUESTED).validate(Json.mapper().readTree(json)).isEmpty());
        TrainingRequested r = Json.read(json, TrainingRequested.class);
        assertEquals(16, r.params().lora().rank());
        assertEquals(3, r.params().schedule().epochs());
        assertEquals(TrainingParams.defaults().optimizer().learningRate(), r.params().optimizer().learningRate());
        assertEquals(List.of(Projection.Q_PROJ, Projection.V_PROJ), r.params().lora().targetModules());

        String noParams = json.replace(",\"params\":{\"loraRank\":16,\"epochs\":3}", "");
        assertEquals(TrainingParams.defaults(), Json.read(noParams, TrainingRequested.class).params());
    }

    @Test
    void schemaRejectsOutOfRangeTrainingParams() throws Exception {
        ObjectNode node = (ObjectNode) Json.mapper().readTree(Json.write(SampleEvents.all().get(3)));
        ((ObjectNode) node.get("params")).put("loraRank", 0);
        assertFalse(schema(Topics.TRAINING_REQUESTED).validate(node).isEmpty());
        ObjectNode nested = (ObjectNode) Json.mapper().readTree(Json.write(SampleEvents.all().get(3)));
        ((ObjectNode) nested.at("/params/lora")).put("rank", 0);
        assertFalse(schema(Topics.TRAINING_REQUESTED).validate(nested).isEmpty());
        ((ObjectNode) nested.at("/params/lora")).put("rank", 16);
        assertTrue(schema(Topics.TRAINING_REQUESTED).validate(nested).isEmpty());
    }

    @Test
    void targetModulesInTheSchemaAreTheProjections() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(
                EventTypes.schemaResource(Topics.TRAINING_REQUESTED))) {
            JsonNode params = Json.mapper().readTree(in).at("/properties/params/properties");
            for (String pointer : List.of("/lora/properties/targetModules/items/enum", "/targetModules/items/enum")) {
                assertEquals(Projection.names(), Json.mapper().convertValue(params.at(pointer), List.class), pointer);
            }
        }
    }
}
