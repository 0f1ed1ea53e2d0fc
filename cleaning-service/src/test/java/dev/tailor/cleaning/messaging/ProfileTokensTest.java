package dev.tailor.cleaning.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * profile.json counts tokens with the base model the upload names: its tokenizer files are read from S3
 * ({@code models/base/tiny-llama/}, test resources tiny-llama/), the examples rendered with its chat template as
 * training renders them. tiny-llama's tokenizer is byte-level without merges, so the expected counts follow from the
 * split files: per message 3 special/newline tokens ({@code <s>role\ncontent</s>\n}) plus the UTF-8 bytes of
 * "role\ncontent". Over the real broker and S3.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class ProfileTokensTest {
    static KafkaTestClient kafka;
    static ObjectStore store;

    @BeforeAll
    static void clients() {
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        store = TailorInfraResource.objectStore();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void tokensOfTheNamedBaseModelAndRelevanceToTheUseCase() throws Exception {
        String datasetId = "ds-prof-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectLayout layout = new ObjectLayout(tenant);
        for (String f : List.of("tokenizer.json", "tokenizer_config.json", "config.json")) {
            try (InputStream in = ProfileTokensTest.class.getResourceAsStream("/tiny-llama/" + f)) {
                store.putBytes(layout.baseModel("tiny-llama") + f, in.readAllBytes(), "application/json");
            }
        }
        String rawPrefix = layout.rawPrefix(datasetId);
        byte[] raw = CleaningServiceTest.realData().getBytes(StandardCharsets.UTF_8);
        store.putBytes(rawPrefix + "support.jsonl", raw, "application/x-ndjson");
        store.putString(ObjectLayout.cleaningConfig(rawPrefix), "{\"useCase\": \"questions about the SQLite database engine\"}",
                "application/json");
        TrainingParams params = TrainingParams.defaults().toBuilder().maxSeqLength(256).build();
        store.putJson(ObjectLayout.manifest(rawPrefix), Manifest.of("ingest-service", tenant).dataset(datasetId, null)
                .training(new TrainingOptions(false, "tiny-llama", params)).build());
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "support", store.uri(rawPrefix),
                store.uri(ObjectLayout.manifest(rawPrefix)), "jsonl", 40, sha));
        DatasetCleaned out = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId), Duration.ofSeconds(90));

        JsonNode profile = store.getJson(layout.profile(datasetId, out.version()), JsonNode.class);
        assertEquals("tokens", profile.get("lengthUnit").asText(), profile.toString());
        assertTrue(profile.get("tokenizerName").asText().startsWith("tiny-llama (its tokenizer and chat template)"),
                profile.get("tokenizerName").asText());
        List<Integer> expected = new ArrayList<>();
        List<Integer> train = new ArrayList<>();
        for (String split : List.of(out.train(), out.validation(), out.test())) {
            for (String line : store.getString(store.keyOf(split)).split("\n")) {
                int n = 0;
                for (JsonNode m : Json.read(line, JsonNode.class).get("messages")) {
                    n += 3 + (m.get("role").asText() + "\n" + m.get("content").asText()).getBytes(StandardCharsets.UTF_8).length;
                }
                expected.add(n);
                if (split.equals(out.train())) {
                    train.add(n);
                }
            }
        }
        JsonNode length = profile.at("/overall/length");
        System.out.println("profile.json length (tiny-llama tokens, maxSeqLength 256): " + length);
        System.out.println("relevance: " + profile.at("/overall/relevance"));
        System.out.println("sufficiency: " + profile.get("sufficiency"));
        assertEquals(expected.stream().mapToInt(Integer::intValue).max().orElseThrow(), length.get("maxTokens").asInt());
        assertEquals(Math.round(expected.stream().mapToInt(Integer::intValue).average().orElseThrow()), length.get("meanTokens").asLong());
        assertEquals(expected.stream().filter(n -> n > 256).count(), length.get("overMaxSeqLength").asLong());
        assertEquals(256, length.get("maxSeqLength").asInt(), "the upload's maxSeqLength");
        long histogram = 0;
        for (JsonNode n : length.get("tokenHistogram")) {
            histogram += n.asLong();
        }
        assertEquals(expected.size(), histogram, length.get("tokenHistogram").toString());
        assertEquals(train.size(), length.at("/train/examples").asInt());
        assertEquals(train.stream().filter(n -> n > 256).count(), length.at("/train/overMaxSeqLength").asLong());
        JsonNode relevance = profile.at("/overall/relevance");
        assertEquals("questions about the SQLite database engine", relevance.get("useCase").asText());
        assertEquals(expected.size(), relevance.get("examples").asInt());
        assertTrue(profile.at("/sources/support.jsonl/relevance/leastRelevant").size() > 0, profile.toString());
    }
}
