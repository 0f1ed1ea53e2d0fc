package dev.tailor.common.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.TrainingParams.InvalidParameter;
import dev.tailor.common.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one JSON form of training parameters (nested), and the first version's flat keys that still mean the same. */
class TrainingParamsTest {
    private static JsonNode json(String s) {
        return Json.read(s, JsonNode.class);
    }

    private static TrainingParams read(String s) {
        return TrainingParams.defaults().with(json(s));
    }

    @Test
    void theJsonFormIsNestedAndRoundTrips() {
        TrainingParams p = TrainingParams.builder().loraRank(4).targetModules(Projection.Q_PROJ, Projection.O_PROJ)
                .learningRate(1e-4).epochs(3).packing(true).evalEvery(5).seed(7).build();
        JsonNode node = Json.mapper().valueToTree(p);
        assertEquals(4, node.at("/lora/rank").asInt());
        assertEquals("o_proj", node.at("/lora/targetModules/1").asText());
        assertEquals(1e-4, node.at("/optimizer/learningRate").asDouble());
        assertEquals(3, node.at("/schedule/epochs").asInt());
        assertTrue(node.at("/data/packing").asBoolean());
        assertEquals(5, node.at("/evaluation/evalEvery").asInt());
        assertEquals(List.of("method", "lora", "optimizer", "schedule", "data", "evaluation", "seed", "compute",
                "vocabulary"), List.copyOf(iterable(node)));
        assertEquals(p, Json.read(Json.write(p), TrainingParams.class));
        assertEquals(TrainingParams.defaults(), Json.read("{}", TrainingParams.class));
    }

    @Test
    void vocabularyTermsAreReadAndCheckedWithMessagesNamingTheKey() {
        TrainingParams p = read("{\"vocabulary\": {\"extend\": true, \"maxNewTokens\": 4,"
                + " \"terms\": [\"Autovacuum (process)\", \" Checkpointer \"]}}");
        assertTrue(p.vocabulary().extend());
        assertEquals(List.of("Autovacuum (process)", "Checkpointer"), p.vocabulary().terms());
        assertEquals(p, Json.read(Json.write(p), TrainingParams.class));
        assertFalse(TrainingParams.defaults().vocabulary().extend());
        // no terms: the worker takes the glossary terms of the dataset's train split
        assertTrue(read("{\"vocabulary\": {\"extend\": true}}").vocabulary().terms().isEmpty());
        TrainingParams.InvalidParameter cap = assertThrows(TrainingParams.InvalidParameter.class,
                () -> read("{\"vocabulary\": {\"maxNewTokens\": 5000}}"));
        assertEquals("vocabulary.maxNewTokens", cap.field());
        assertThrows(TrainingParams.InvalidParameter.class,
                () -> read("{\"vocabulary\": {\"terms\": \"Autovacuum\"}}"));
        assertThrows(TrainingParams.InvalidParameter.class,
                () -> read("{\"vocabulary\": {\"terms\": [\"a\\u0007b\"]}}"));
        IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                () -> read("{\"method\": \"full\", \"vocabulary\": {\"extend\": true, \"terms\": [\"X\"]}}"));
        assertTrue(full.getMessage().contains("method=lora"), full.getMessage());
    }

    @Test
    void everyFlatKeyOfTheFirstVersionMeansItsNestedField() {
        Map<String, String> values = Map.ofEntries(Map.entry("method", "\"full\""), Map.entry("loraRank", "16"),
                Map.entry("loraAlpha", "32"), Map.entry("loraDropout", "0.1"),
                Map.entry("targetModules", "[\"k_proj\"]"), Map.entry("learningRate", "1e-4"),
                Map.entry("weightDecay", "0.01"), Map.entry("maxGradNorm", "0.5"), Map.entry("scheduler", "\"linear\""),
                Map.entry("warmupRatio", "0.2"), Map.entry("epochs", "3"), Map.entry("maxSteps", "7"),
                Map.entry("batchSize", "4"), Map.entry("gradientAccumulation", "2"), Map.entry("maxSeqLength", "512"),
                Map.entry("packing", "true"), Map.entry("evalEvery", "3"), Map.entry("earlyStoppingPatience", "2"),
                Map.entry("seed", "5"));
        assertEquals(TrainingParamsJson.FLAT_TO_NESTED.keySet(), values.keySet());
        for (Map.Entry<String, String> e : TrainingParamsJson.FLAT_TO_NESTED.entrySet()) {
            String value = values.get(e.getKey());
            String nested = e.getValue().contains(".")
                    ? "{\"" + e.getValue().replace(".", "\":{\"") + "\":" + value + "}}"
                    : "{\"" + e.getValue() + "\":" + value + "}";
            TrainingParams fromFlat = read("{\"" + e.getKey() + "\":" + value + "}");
            assertEquals(read(nested), fromFlat, e.getKey());
            assertTrue(!fromFlat.equals(TrainingParams.defaults()), e.getKey() + " changed something");
        }
        TrainingParams readme = read("{\"loraRank\":16,\"epochs\":3,\"learningRate\":0.0001}");
        assertEquals(16, readme.lora().rank());
        assertEquals(3, readme.schedule().epochs());
        assertEquals(1e-4, readme.optimizer().learningRate());
        assertEquals(read("{\"lora\":{\"rank\":16},\"schedule\":{\"epochs\":3},\"optimizer\":{\"learningRate\":1e-4}}"),
                readme);
    }

    @Test
    void errorsNameTheKeyAsItWasGivenAndTheRange() {
        InvalidParameter flat = assertThrows(InvalidParameter.class, () -> read("{\"loraRank\": 0}"));
        assertEquals("loraRank", flat.field());
        assertEquals("loraRank must be between 1 and 256 for method=lora, got 0", flat.getMessage());
        InvalidParameter nested = assertThrows(InvalidParameter.class, () -> read("{\"lora\": {\"rank\": 0}}"));
        assertEquals("lora.rank", nested.field());
        assertEquals("lora.rank must be between 1 and 256 for method=lora, got 0", nested.getMessage());
        InvalidParameter type = assertThrows(InvalidParameter.class, () -> read("{\"schedule\":{\"epochs\":\"many\"}}"));
        assertEquals("schedule.epochs", type.field());
        assertEquals("schedule.epochs must be a number, got \"many\"", type.getMessage());
        InvalidParameter half = assertThrows(InvalidParameter.class, () -> read("{\"epochs\": 2.5}"));
        assertEquals("epochs must be a whole number, got 2.5", half.getMessage());
        InvalidParameter module = assertThrows(InvalidParameter.class,
                () -> read("{\"lora\":{\"targetModules\":[\"q_proj\",\"qkv\"]}}"));
        assertTrue(module.getMessage().startsWith("lora.targetModules entry 'qkv' is not a linear layer of the model; "
                + "use some of [down_proj"), module.getMessage());
        InvalidParameter both = assertThrows(InvalidParameter.class,
                () -> read("{\"loraRank\": 4, \"lora\": {\"rank\": 8}}"));
        assertEquals("give loraRank or lora.rank, not both: they are the same parameter", both.getMessage());
        InvalidParameter group = assertThrows(InvalidParameter.class, () -> read("{\"lora\": 8}"));
        assertEquals("lora", group.field());
        assertThrows(InvalidParameter.class, () -> read("[1]"));
    }

    @Test
    void requestsRefuseUnknownKeysEventsIgnoreThem() {
        InvalidParameter unknown = assertThrows(InvalidParameter.class, () -> read("{\"lr\": 0.1}"));
        assertEquals("lr", unknown.field());
        assertTrue(unknown.getMessage().contains("optimizer.learningRate") && unknown.getMessage().contains("learningRate,"),
                unknown.getMessage());
        InvalidParameter inGroup = assertThrows(InvalidParameter.class, () -> read("{\"lora\":{\"r\":4}}"));
        assertEquals("lora.r", inGroup.field());
        TrainingParams lenient = Json.read("{\"loraRank\":4,\"addedInVersion3\":1,\"lora\":{\"x\":1}}",
                TrainingParams.class);
        assertEquals(4, lenient.lora().rank());
    }

    @Test
    void stringsNumbersAndCommaListsAreRead() {
        // (moved from llm's TrainConfigTest: the CLI's YAML files and flags give strings)
        TrainingParams p = read("{\"learningRate\":\"1e-4\",\"batchSize\":4,\"targetModules\":\"q_proj,k_proj\","
                + "\"packing\":\"true\"}");
        assertEquals(1e-4, p.optimizer().learningRate());
        assertEquals(4, p.data().batchSize());
        assertEquals(List.of(Projection.Q_PROJ, Projection.K_PROJ), p.lora().targetModules());
        assertTrue(p.data().packing());
        assertThrows(IllegalArgumentException.class, () -> read("{\"scheduler\":\"step\"}"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"targetModules\":\"qkv\"}"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"nope\":1}"));
        // full fine-tuning ignores LoRA fields
        assertEquals("full", read("{\"method\":\"full\",\"loraRank\":0}").method());
    }

    @Test
    void buildersStartFromParametersAndFullDropsLora() {
        TrainingParams full = TrainingParams.builder().method("full").loraRank(0).maxSteps(7).build();
        assertNull(full.lora());
        assertTrue(!full.usesLora());
        assertEquals(7, full.schedule().maxSteps());
        TrainingParams back = full.toBuilder().method("lora").build();
        assertEquals(TrainingParams.defaults().lora(), back.lora());
        assertEquals(full.toBuilder().build(), full);
        assertEquals(TrainingParams.defaults(), new TrainingParams("lora", null, null, null, null, null, 42, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingParams.builder().maxSeqLength(4).build());
        assertEquals("data.maxSeqLength must be between 8 and 131072, got 4", e.getMessage());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        ((ObjectNode) node).fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void computeSaysWhereAJobRunsAndIsLeftOutOfItsIdentity() {
        TrainingParams p = read("{\"compute\": {\"device\": \"cuda:1\", \"precision\": \"bf16-mixed\","
                + " \"backend\": \"kubeflow\", \"nodes\": 2, \"processesPerNode\": 4}}");
        assertEquals("cuda:1", p.compute().device());
        assertEquals(8, p.compute().worldSize());
        assertEquals(TrainingParams.defaults(), p.withoutCompute());
        assertEquals(p, Json.read(Json.write(p), TrainingParams.class));
        InvalidParameter device = assertThrows(InvalidParameter.class, () -> read("{\"compute\": {\"device\": \"gpu\"}}"));
        assertEquals("compute.device", device.field());
        assertTrue(device.getMessage().contains("auto, cpu, cuda or cuda:N"), device.getMessage());
        InvalidParameter bf16 = assertThrows(InvalidParameter.class,
                () -> read("{\"compute\": {\"device\": \"cpu\", \"precision\": \"bf16\"}}"));
        assertTrue(bf16.getMessage().contains("needs a GPU"), bf16.getMessage());
        InvalidParameter many = assertThrows(InvalidParameter.class,
                () -> read("{\"compute\": {\"backend\": \"kubernetes\", \"processesPerNode\": 2}}"));
        assertTrue(many.getMessage().contains("needs backend kubeflow"), many.getMessage());
    }
}
