package dev.tailor.cleaning.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.storage.Manifest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DatasetIngested in → splits, report and manifest in S3 → DatasetCleaned out, over the real broker and S3. */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class CleaningServiceTest {
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
    void cleansRawObjectsWritesSplitsAndReportThenPublishes() throws Exception {
        String datasetId = "ds-clean-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "c-" + UUID.randomUUID().toString().substring(0, 8); // any tenant: cleaning acts in the event's
        ObjectLayout layout = new ObjectLayout(tenant);
        List<String> lines = new ArrayList<>(List.of(realData().split("\n")));
        lines.add(3, "{\"messages\": [{\"role\": \"user\", \"content\": \"truncated");   // line 4 is malformed
        byte[] raw = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        store.putBytes(layout.raw(datasetId, "support.jsonl"), raw, "application/x-ndjson");
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
        DatasetIngested in = DatasetIngested.create(tenant, datasetId, "support", store.uri(layout.rawPrefix(datasetId)),
                store.uri(ObjectLayout.manifest(layout.rawPrefix(datasetId))), "jsonl", lines.size(), sha)
                .withPrincipal("alice@" + tenant);

        kafka.sendEvent(in);
        ConsumerRecord<String, String> rec = kafka.await(Topics.DATASET_CLEANED, r -> r.value().contains(datasetId), Duration.ofSeconds(90));
        DatasetCleaned out = Json.read(rec.value(), DatasetCleaned.class);
        assertEquals(datasetId, rec.key());
        assertNotNull(rec.headers().lastHeader("ce_id"), "CloudEvents id header");
        assertEquals(out.eventId(), new String(rec.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
        assertEquals("dev.tailor.dataset.cleaned", new String(rec.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
        // the version names the upload it was cleaned from (whose manifest holds the training options)
        assertEquals(in.manifest(), out.source());
        assertTrue(out.trainCount() > 0 && out.validationCount() > 0 && out.testCount() > 0, out.toString());
        assertEquals(tenant, out.tenant());
        assertEquals("alice@" + tenant, out.principal(), "the uploader's principal travels with the data");
        AuditEvent audit = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, e -> e.resourceId().equals(datasetId)
                && e.action().equals(AuditEvent.DATASET_CLEANED), Duration.ofSeconds(30));
        assertEquals("service:cleaning-service", audit.actor());
        assertEquals("alice@" + tenant, audit.onBehalfOf());

        String prefix = layout.datasetPrefix(datasetId, out.version());
        assertEquals(store.uri(layout.split(datasetId, out.version(), "train")), out.train());
        assertEquals(out.trainCount(), store.getString(store.keyOf(out.train())).lines().count());
        assertTrue(store.exists(ObjectLayout.manifest(prefix)));
        assertEquals("alice@" + tenant, store.getJson(ObjectLayout.manifest(prefix), Manifest.class).principal());
        JsonNode report = store.getJson(store.keyOf(out.report()), JsonNode.class);
        JsonNode malformed = null;
        for (JsonNode d : report.get("dropped")) {
            if (d.get("rule").asText().equals("malformed-json")) {
                malformed = d;
            }
        }
        assertNotNull(malformed, report.get("dropped").toString());
        assertEquals("support.jsonl", malformed.get("file").asText());
        assertEquals(4, malformed.get("line").asInt());
        // the service's default base model is not in this tenant's S3: lengths in characters, and the profile says why
        JsonNode profile = store.getJson(layout.profile(datasetId, out.version()), JsonNode.class);
        assertEquals("characters", profile.get("lengthUnit").asText(), profile.toString());
        assertTrue(profile.get("tokenizerNote").asText().contains("base model 'tiny-llama' has no tokenizer.json at s3://"),
                profile.get("tokenizerNote").asText());

        // a redelivered event finds the finished version and only republishes
        String created = store.getJson(ObjectLayout.manifest(prefix), JsonNode.class).get("created").asText();
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "support", in.rawPrefix(), in.manifest(), "jsonl",
                lines.size(), sha));
        List<ConsumerRecord<String, String>> both = new ArrayList<>();
        kafka.await(Topics.DATASET_CLEANED, r -> {
            if (r.value().contains(datasetId)) {
                both.add(r);
            }
            return both.size() == 2;
        }, Duration.ofSeconds(60));
        DatasetCleaned again = Json.read(both.get(1).value(), DatasetCleaned.class);
        assertEquals(out.version(), again.version());
        assertEquals(out.train(), again.train());
        assertEquals(created, store.getJson(ObjectLayout.manifest(prefix), JsonNode.class).get("created").asText());

        // a copy of an event handled before (a replay, same event id) changes nothing and publishes nothing: a later
        // new event on the same key (same partition, so handled after the copy) is the only one answered
        Map<String, String> before = etags(layout.root());
        kafka.sendEvent(in);
        DatasetIngested sentinel = DatasetIngested.create(tenant, datasetId, "support", in.rawPrefix(), in.manifest(),
                "jsonl", lines.size(), sha);
        kafka.sendEvent(sentinel);
        List<DatasetCleaned> answers = new ArrayList<>();
        kafka.await(Topics.DATASET_CLEANED, r -> {
            if (r.value().contains(datasetId)) {
                answers.add(Json.read(r.value(), DatasetCleaned.class));
            }
            return answers.size() == 3;
        }, Duration.ofSeconds(60));
        kafka.readAll(Topics.DATASET_CLEANED, Duration.ofSeconds(3)).stream()
                .filter(r -> r.value().contains(datasetId)).skip(3).findFirst()
                .ifPresent(r -> org.junit.jupiter.api.Assertions.fail("the replayed copy was answered: " + r.value()));
        Map<String, String> after = etags(layout.root());
        after.remove(layout.handledEvent("cleaning-service.dataset-ingested", sentinel.eventId()));
        assertEquals(before, after, "the replay changed the object store");

        // per-dataset settings make a new version, whose report diffs against the previous one
        store.putString(ObjectLayout.cleaningConfig(layout.rawPrefix(datasetId)), "{\"systemPrompt\": \"You are a Linux and SQLite helpdesk.\"}",
                "application/json");
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "support", in.rawPrefix(), in.manifest(), "jsonl",
                lines.size(), sha));
        DatasetCleaned v2 = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId) && !e.version().equals(out.version()), Duration.ofSeconds(60));
        assertTrue(store.getString(store.keyOf(v2.train())).contains("You are a Linux and SQLite helpdesk."));
        JsonNode diff = store.getJson(store.keyOf(v2.report()), JsonNode.class).get("diff");
        assertNotNull(diff, "report of the second version has a diff");
        assertEquals(out.version(), diff.get("previousVersion").asText());
        long kept = out.trainCount() + out.validationCount() + out.testCount();
        assertEquals(kept, diff.get("examplesRemoved").asLong(), diff.toString());
        assertEquals(kept, diff.get("examplesAdded").asLong(), diff.toString());
        assertTrue(diff.get("nearDuplicatesOfPrevious").asLong() > 0, diff.toString());

        // a later upload of the dataset (ingest stores it under raw/{id}/versions/…) is cleaned alone, and its
        // examples that were in the newest version keep their split
        String upload = layout.rawVersionPrefix(datasetId, "u-test");
        byte[] next = realData().getBytes(StandardCharsets.UTF_8);
        store.putBytes(upload + "support.jsonl", next, "application/x-ndjson");
        // with the language filter on, its model loads in the service. (Semantic dedup is not switched on here: its
        // tokenizer's native library may be loaded once per JVM, and SemanticDuplicateIndexTest loads it outside Quarkus.)
        store.putString(ObjectLayout.cleaningConfig(upload), "{\"languages\": [\"en\"]}", "application/json");
        String nextSha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(next));
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "support", store.uri(upload),
                store.uri(ObjectLayout.manifest(upload)), "jsonl", 40, nextSha));
        DatasetCleaned v3 = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId) && !e.version().equals(out.version()) && !e.version().equals(v2.version()),
                Duration.ofSeconds(60));
        JsonNode report3 = store.getJson(store.keyOf(v3.report()), JsonNode.class);
        assertEquals(40, report3.get("records").asLong(), "only the new upload's objects are read");
        assertEquals("en", report3.at("/config/language/languages/0").asText(), report3.get("config").toString());
        assertEquals(0, report3.at("/counts/dropped.wrong-language").asLong(), "the English support data is kept");
        assertEquals(v2.version(), report3.at("/diff/previousVersion").asText());
        assertTrue(report3.at("/diff/nearDuplicatesOfPrevious").asLong() > 0, report3.get("diff").toString());
        for (String line : store.getString(store.keyOf(v2.test())).split("\n")) {
            String question = Json.read(line, JsonNode.class).at("/messages/1/content").asText();
            assertTrue(store.getString(store.keyOf(v3.train())).lines().noneMatch(l -> l.contains(Json.mapper()
                    .valueToTree(question).toString())), "a test example of v2 is not trained on in v3: " + question);
        }
    }

    /**
     * Issue 16: one e-mail without its reply is valid input that makes no example yet: the version is cleaned with 0
     * examples and the report says why (not a dead letter, not a failed dataset).
     */
    @Test
    void oneEmailWithoutItsReplyWaitsAndBecomesAnExampleWhenItsReplyComesInTheNextVersion() throws Exception {
        String datasetId = "ds-mail-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "c-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectLayout layout = new ObjectLayout(tenant);
        byte[] raw;
        try (InputStream in = getClass().getResourceAsStream("/data/spambayes-thread/01709.eml")) {
            raw = in.readAllBytes();
        }
        store.putBytes(layout.raw(datasetId, "01709.eml"), raw, "message/rfc822");
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "mail", store.uri(layout.rawPrefix(datasetId)),
                store.uri(ObjectLayout.manifest(layout.rawPrefix(datasetId))), "email", 0, sha));
        DatasetCleaned out = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId), Duration.ofSeconds(60));
        assertEquals(0, out.trainCount() + out.validationCount() + out.testCount());
        JsonNode report = store.getJson(store.keyOf(out.report()), JsonNode.class);
        assertEquals(1, report.path("counts").path("email.incomplete-thread").asLong(), report.toString());
        assertTrue(store.exists(ObjectLayout.manifest(layout.datasetPrefix(datasetId, out.version()))));
        assertEquals(List.of(), kafka.readAll(Topics.dlq(Topics.DATASET_INGESTED), Duration.ofSeconds(2)).stream()
                .filter(r -> r.value() != null && r.value().contains(datasetId)).toList(), "not a dead letter");

        // its reply comes in the next upload: the thread is complete in that version and becomes an example
        String upload = layout.rawVersionPrefix(datasetId, "u-reply");
        byte[] reply;
        try (InputStream in = getClass().getResourceAsStream("/data/spambayes-thread/01711.eml")) {
            reply = in.readAllBytes();
        }
        store.putBytes(upload + "01711.eml", reply, "message/rfc822");
        String replySha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(reply));
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "mail", store.uri(upload),
                store.uri(ObjectLayout.manifest(upload)), "email", 0, replySha));
        DatasetCleaned v2 = kafka.awaitEvent(Topics.DATASET_CLEANED, DatasetCleaned.class,
                e -> e.datasetId().equals(datasetId) && !e.version().equals(out.version()), Duration.ofSeconds(60));
        assertEquals(1, v2.trainCount() + v2.validationCount() + v2.testCount(), v2.toString());
        JsonNode report2 = store.getJson(store.keyOf(v2.report()), JsonNode.class);
        assertEquals(0, report2.path("counts").path("email.incomplete-thread").asLong(), report2.toString());
        assertEquals(1, report2.path("counts").path("email.pairs").asLong(), report2.toString());
    }

    /** Every object under {@code prefix} with its ETag. */
    private static Map<String, String> etags(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        store.list(prefix).forEach(o -> out.put(o.key(), o.etag()));
        return out;
    }

    @Test
    void anEventWithoutRawObjectsGoesToTheDeadLetterTopic() {
        String datasetId = "ds-missing-" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = "c-" + UUID.randomUUID().toString().substring(0, 8); // any tenant: cleaning acts in the event's
        ObjectLayout layout = new ObjectLayout(tenant);
        kafka.sendEvent(DatasetIngested.create(tenant, datasetId, "missing", store.uri(layout.rawPrefix(datasetId)),
                store.uri(ObjectLayout.manifest(layout.rawPrefix(datasetId))), "jsonl", 1, "0".repeat(64)));
        ConsumerRecord<String, String> dead = kafka.await(Topics.dlq(Topics.DATASET_INGESTED),
                r -> r.value().contains(datasetId), Duration.ofSeconds(60));
        String reason = new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("no raw objects"), reason);
    }

    @Test
    void healthIsOpenMetricsAndOpenApiNeedCredentials() {
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(401);
        io.restassured.RestAssured.given().get("/q/openapi").then().statusCode(401);
        String token = TestIssuer.shared().token("acme", "ops@acme", Roles.VIEWER);
        io.restassured.RestAssured.given().auth().oauth2(token).get("/q/metrics").then().statusCode(200);
        io.restassured.RestAssured.given().auth().oauth2(token).get("/q/openapi").then().statusCode(200);
    }

    static String realData() throws IOException {
        try (InputStream in = CleaningServiceTest.class.getResourceAsStream("/data/support-faq-40.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
