package dev.tailor.cleaning.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.CleanedVersions;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A re-clean over the real broker and S3: the repository's example support FAQ ({@code examples/support-faq.jsonl})
 * cleaned, then re-cleaned from the same raw object with PII redaction off and a minimum answer length of 200: a new
 * version under the id ingest predicts, with its report, profile and a diff.json whose numbers are those of the two
 * versions' split files in S3.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class RecleanTest {
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
    void recleanMakesANewVersionWithADiffAgainstTheOldOne() throws Exception {
        String tenant = "r-" + UUID.randomUUID().toString().substring(0, 8);
        String datasetId = "ds-reclean-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectLayout layout = new ObjectLayout(tenant);
        byte[] raw = Files.readAllBytes(Path.of("../examples/support-faq.jsonl"));
        store.putBytes(layout.raw(datasetId, "support-faq.jsonl"), raw, "application/x-ndjson");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        DatasetIngested upload = DatasetIngested.create(tenant, datasetId, "faq", store.uri(layout.rawPrefix(datasetId)),
                store.uri(ObjectLayout.manifest(layout.rawPrefix(datasetId))), "jsonl", 260, sha);
        kafka.sendEvent(upload);
        DatasetCleaned v1 = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId), Duration.ofSeconds(90));
        Manifest first = store.getJson(ObjectLayout.manifest(layout.datasetPrefix(datasetId, v1.version())), Manifest.class);

        // what ingest does: the version's settings with the new ones over them, under the id cleaning will give it
        CleaningConfig settings = CleaningConfig.merge(CleaningConfig.merge(CleaningConfig.defaults(),
                Json.mapper().valueToTree(first.details().get("config"))),
                Json.read("{\"pii\": {\"redactPii\": false}, \"quality\": {\"minChars\": 200}}", JsonNode.class));
        String v2 = CleanedVersions.id(sha, settings);
        assertNotEquals(v1.version(), v2);
        String settingsUri = store.putString(layout.recleanSettings(datasetId, v2), settings.toJson(), "application/json");
        DatasetIngested reclean = DatasetIngested.create(tenant, datasetId, "faq", upload.rawPrefix(), upload.manifest(),
                "jsonl", 260, sha).asReclean(settingsUri, v1.version());
        kafka.sendEvent(reclean);
        DatasetCleaned out = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId) && e.version().equals(v2), Duration.ofSeconds(90));
        assertEquals(upload.manifest(), out.source(), "the re-clean names the upload (its training options)");
        String prefix = layout.datasetPrefix(datasetId, v2);
        Manifest second = store.getJson(ObjectLayout.manifest(prefix), Manifest.class);
        assertEquals(v1.version(), second.details().get("recleanOf"));
        assertEquals(upload.rawPrefix(), second.inputs().get("rawPrefix"), "the raw objects are reused, not copied");
        assertEquals(1, store.list(layout.rawPrefix(datasetId)).size(), "nothing new under raw/");
        assertTrue(store.exists(layout.profile(datasetId, v2)));
        JsonNode report = store.getJson(layout.report(datasetId, v2), JsonNode.class);
        assertEquals(false, report.get("config").get("pii").get("redactPii").asBoolean());
        assertEquals(v1.version(), report.get("diff").get("previousVersion").asText(), "the report diffs the same way");

        JsonNode diff = store.getJson(layout.diff(datasetId, v2), JsonNode.class);
        assertEquals(store.uri(layout.diff(datasetId, v2)), second.output("diff"));
        Map<String, String> before = examples(layout, datasetId, v1.version());
        Map<String, String> after = examples(layout, datasetId, v2);
        long removed = before.keySet().stream().filter(k -> !after.containsKey(k)).count();
        long added = after.keySet().stream().filter(k -> !before.containsKey(k)).count();
        long changed = after.entrySet().stream().filter(e -> before.containsKey(e.getKey())
                && !before.get(e.getKey()).equals(e.getValue())).count();
        JsonNode overall = diff.get("overall");
        System.out.println("re-clean of support-faq (" + v1.version() + " -> " + v2 + "): " + overall
                + " drops " + diff.get("drops"));
        assertEquals(before.size(), overall.get("before").asLong());
        assertEquals(after.size(), overall.get("after").asLong());
        assertEquals(out.trainCount() + out.validationCount() + out.testCount(), after.size());
        assertEquals(removed, overall.get("removed").asLong());
        assertEquals(added, overall.get("added").asLong());
        assertEquals(changed, overall.get("changed").asLong());
        assertEquals(after.size() - added - changed, overall.get("unchanged").asLong());
        assertTrue(removed > 0 && changed > 0, overall.toString());
        assertEquals(out.trainCount(), diff.get("splits").get("train").get("after").asLong());
        assertEquals(Map.of("before", 0, "after", (int) removed),
                Json.mapper().convertValue(diff.get("drops").get("too-short"), Map.class));
        assertEquals(List.of("pii.redactPii", "quality.minChars"), List.copyOf(iterable(diff.get("settings"))));
        assertFalse(diff.get("samples").get("removed").isEmpty());
        assertEquals("too-short", diff.get("samples").get("removed").get(0).get("droppedBy").asText());

        // a redelivered re-clean finds the version done and only republishes
        String created = store.getJson(ObjectLayout.manifest(prefix), JsonNode.class).get("created").asText();
        DatasetIngested again = DatasetIngested.create(tenant, datasetId, "faq", upload.rawPrefix(), upload.manifest(),
                "jsonl", 260, sha).asReclean(settingsUri, v1.version());
        kafka.sendEvent(again);
        DatasetCleaned republished = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId) && !e.eventId().equals(out.eventId()) && !e.eventId().equals(v1.eventId()),
                Duration.ofSeconds(60));
        assertEquals(v2, republished.version());
        assertEquals(created, store.getJson(ObjectLayout.manifest(prefix), JsonNode.class).get("created").asText());
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** file:line → messages JSON of every example of a version, read from its split objects. */
    private static Map<String, String> examples(ObjectLayout layout, String datasetId, String version) {
        Map<String, String> m = new HashMap<>();
        for (String split : ObjectLayout.SPLITS) {
            for (String line : store.getString(layout.split(datasetId, version, split)).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode n = Json.read(line, JsonNode.class);
                    m.put(n.get("source").get("file").asText() + ":" + n.get("source").get("line").asLong(),
                            n.get("messages").toString());
                }
            }
        }
        return m;
    }
}
