package dev.tailor.ingest.api;

import static dev.tailor.ingest.api.IngestServiceTest.as;
import static dev.tailor.ingest.api.IngestServiceTest.awaitStatus;
import static dev.tailor.ingest.api.IngestServiceTest.tenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.CleanedVersions;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningReport;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-cleaning through ingest's API (issue 13) over the real broker and S3, on the repository's example support FAQ
 * ({@code examples/support-faq.jsonl}): the re-clean request (its event, its version id, idempotency, bad settings,
 * unknown versions), the same bytes uploaded again with other settings, and the diff of two versions. Cleaning itself
 * runs in cleaning-service (its RecleanTest); here the versions are cleaned with the same library
 * ({@link CleaningPipeline}) and stored as cleaning stores them.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class RecleanApiTest {
    static KafkaTestClient kafka;
    static ObjectStore store;

    @jakarta.inject.Inject
    dev.tailor.ingest.storage.StatusStore statuses;

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
    void aVersionIsReCleanedWithOtherSettingsOnceAndDiffed(@TempDir Path tmp) throws Exception {
        String tenant = tenant();
        ObjectLayout layout = new ObjectLayout(tenant);
        byte[] raw = Files.readAllBytes(Path.of("../examples/support-faq.jsonl"));
        JsonPath up = as(tenant).contentType("application/x-ndjson").body(raw).queryParam("filename", "support-faq.jsonl")
                .post("/v1/datasets").then().statusCode(202).extract().jsonPath();
        String id = up.getString("datasetId");
        String sha = up.getString("contentSha256");
        String rawPrefix = up.getString("raw");
        String uploadManifest = up.getString("manifest");
        CleaningConfig defaults = CleaningConfig.defaults();
        String v1 = clean(tmp, layout, id, rawPrefix, uploadManifest, sha, raw, defaults, null);
        awaitStatus(tenant, id, "versions[0].version", v1);

        // a re-clean with a higher minimum answer length: 202, the version id cleaning will derive, and its event
        CleaningConfig longer = CleaningConfig.merge(defaults, Json.read("{\"quality\": {\"minChars\": 200}}", JsonNode.class));
        String v2 = CleanedVersions.id(sha, longer);
        JsonPath started = as(tenant).contentType("application/json").body("{\"quality\": {\"minChars\": 200}}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(202)
                .body("version", equalTo(v2)).body("recleanOf", equalTo(v1)).body("existing", equalTo(false))
                .body("settingsChanged.'quality.minChars'.after", equalTo(200)).extract().jsonPath();
        assertEquals(id, started.getString("datasetId"));
        DatasetIngested event = kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class,
                e -> e.datasetId().equals(id) && v1.equals(e.recleanOf()), Duration.ofSeconds(30));
        assertEquals(rawPrefix, event.rawPrefix(), "the raw objects are reused");
        assertEquals(uploadManifest, event.manifest(), "the upload's training options apply");
        assertEquals(longer.hash(), CleaningConfig.fromJson(store.getString(store.keyOf(event.cleaningConfig()))).hash());
        assertEquals(store.uri(layout.recleanSettings(id, v2)), event.cleaningConfig());
        AuditEvent audit = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, e -> e.resourceId().equals(id)
                && e.action().equals(AuditEvent.DATASET_RECLEANED), Duration.ofSeconds(30));
        assertEquals("editor@" + tenant, audit.actor());
        assertEquals(v2, audit.details().get("version"));
        assertEquals(1, store.list(store.keyOf(rawPrefix)).stream()
                .filter(o -> o.key().endsWith(".jsonl")).count(), "no copy of the data");

        // the same again while it is being cleaned: 409 naming the version; once cleaned: 200 with it
        as(tenant).contentType("application/json").body("{\"minChars\": 200}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(409)
                .contentType(containsString("application/problem+json")).body("version", equalTo(v2));
        assertEquals(v2, clean(tmp, layout, id, rawPrefix, uploadManifest, sha, raw, longer, v1));
        as(tenant).contentType("application/json").body("{\"quality\": {\"minChars\": 200}}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(200)
                .body("version", equalTo(v2)).body("existing", equalTo(true));
        as(tenant).contentType("application/json").body("{}").post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean")
                .then().statusCode(200).body("version", equalTo(v1)).body("existing", equalTo(true));
        awaitStatus(tenant, id, "versions[1].version", v2);

        // bad settings name the setting; unknown versions and datasets are 404
        as(tenant).contentType("application/json").body("{\"quality\": {\"minChar\": 5}}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(422)
                .contentType(containsString("application/problem+json")).body("setting", equalTo("quality.minChar"))
                .body("detail", containsString("minChars"));
        as(tenant).contentType("application/json").body("{\"minChars\": -1}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(422)
                .body("detail", containsString("minChars"));
        as(tenant).contentType("text/plain").body("minChars=5")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(415)
                .body("detail", containsString("application/json"));
        as(tenant).contentType("application/json").body("[1]")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(422);
        as(tenant).contentType("application/json").body("{}")
                .post("/v1/datasets/" + id + "/versions/v-0000000000000000/reclean").then().statusCode(404)
                .body("versions.size()", equalTo(2));
        as(tenant).contentType("application/json").body("{}")
                .post("/v1/datasets/ds-nope/versions/" + v1 + "/reclean").then().statusCode(404);
        as(tenant()).contentType("application/json").body("{}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(404);

        // the diff: against the version re-cleaned from by default (computed now: no diff.json here)
        JsonPath diff = as(tenant).get("/v1/datasets/" + id + "/versions/" + v2 + "/diff").then().statusCode(200)
                .body("against", equalTo(v1)).body("settings.'quality.minChars'.after", equalTo(200)).extract().jsonPath();
        long after = 0;
        for (String split : ObjectLayout.SPLITS) {
            long lines = store.getString(layout.split(id, v2, split)).lines().count();
            assertEquals(lines, diff.getLong("splits." + split + ".after"), split);
            after += lines;
        }
        assertEquals(after, diff.getLong("overall.after"));
        assertTrue(diff.getLong("overall.removed") > 0, diff.prettify());
        assertEquals(diff.getLong("overall.removed"), diff.getLong("drops.too-short.after"));
        assertEquals("too-short", diff.getString("samples.removed[0].droppedBy"));
        System.out.println("support-faq minChars 2 -> 200: " + diff.getMap("overall"));
        as(tenant).get("/v1/datasets/" + id + "/versions/" + v1 + "/diff").then().statusCode(404)
                .body("title", equalTo("Nothing to compare with"));
        as(tenant).queryParam("against", v2).get("/v1/datasets/" + id + "/versions/" + v1 + "/diff").then()
                .statusCode(200).body("overall.added", equalTo(diff.getInt("overall.removed")));
        as(tenant).queryParam("against", "v-0000000000000000").get("/v1/datasets/" + id + "/versions/" + v2 + "/diff")
                .then().statusCode(404);

        // the same bytes uploaded again: with other cleaning settings a re-clean of the dataset, else a duplicate
        CleaningConfig unredacted = CleaningConfig.merge(defaults, Json.read("{\"redactPii\": false}", JsonNode.class));
        as(tenant).multiPart("file", "support-faq.jsonl", raw, "application/x-ndjson")
                .multiPart("cleaning", "{\"redactPii\": false}").post("/v1/datasets").then().statusCode(202)
                .body("datasetId", equalTo(id)).body("duplicate", equalTo(false))
                .body("version", equalTo(CleanedVersions.id(sha, unredacted))).body("recleanOf", equalTo(v1));
        as(tenant).multiPart("file", "support-faq.jsonl", raw, "application/x-ndjson")
                .multiPart("cleaning", "{\"redactPii\": true}").post("/v1/datasets").then().statusCode(200)
                .body("datasetId", equalTo(id)).body("duplicate", equalTo(true));
        as(tenant).contentType("application/x-ndjson").body(raw).post("/v1/datasets").then().statusCode(200)
                .body("duplicate", equalTo(true));

        // settings that leave nothing: cleaning stores the report and no version; asking again says so
        String empty = as(tenant).contentType("application/json").body("{\"minChars\": 30000}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(202).extract().path("version");
        CleaningConfig strict = CleaningConfig.merge(defaults, Json.read("{\"minChars\": 30000}", JsonNode.class));
        try (CleaningPipeline p = new CleaningPipeline(strict, tmp.resolve("empty"))) {
            p.add("support-faq.jsonl", new java.io.ByteArrayInputStream(raw), null);
            CleaningResult r = p.finish(Map.of());
            assertEquals(0, r.kept());
            store.putBytes(layout.report(id, empty), Files.readAllBytes(r.report()), "application/json");
        }
        as(tenant).contentType("application/json").body("{\"quality\": {\"minChars\": 30000}}")
                .post("/v1/datasets/" + id + "/versions/" + v1 + "/reclean").then().statusCode(422)
                .body("title", equalTo("Re-clean left no examples")).body("detail", containsString("/report"));
    }

    /**
     * Cleans the upload as cleaning-service does (the same pipeline and object layout; a re-clean against
     * {@code previous}), stores the version and announces it; its id.
     */
    /** A re-clean whose cleaning failed (its event went to the dead-letter topic) can be asked for again. */
    @Test
    void aFailedReCleanCanBeAskedForAgain(@TempDir Path tmp) throws Exception {
        String tenant = tenant();
        ObjectLayout layout = new ObjectLayout(tenant);
        byte[] raw = Files.readAllBytes(Path.of("../examples/support-faq.jsonl"));
        JsonPath up = as(tenant).contentType("application/x-ndjson").body(raw).queryParam("filename", "support-faq.jsonl")
                .post("/v1/datasets").then().statusCode(202).extract().jsonPath();
        String id = up.getString("datasetId");
        String v1 = clean(tmp, layout, id, up.getString("raw"), up.getString("manifest"), up.getString("contentSha256"),
                raw, CleaningConfig.defaults(), null);
        awaitStatus(tenant, id, "versions[0].version", v1);
        String path = "/v1/datasets/" + id + "/versions/" + v1 + "/reclean";
        String body = "{\"quality\": {\"minChars\": 150}}";
        as(tenant).contentType("application/json").body(body).post(path).then().statusCode(202);
        DatasetIngested first = kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class,
                e -> e.datasetId().equals(id) && v1.equals(e.recleanOf()), Duration.ofSeconds(30));
        as(tenant).contentType("application/json").body(body).post(path).then().statusCode(409);

        // cleaning gives up on it: its event is a dead letter, which the status records
        statuses.record(tenant, id, StatusEntry.deadLetter(Topics.dlq(Topics.DATASET_INGESTED), first,
                "java.lang.IllegalStateException: disk full", java.time.Instant.now()));
        as(tenant).contentType("application/json").body(body).post(path).then().statusCode(202)
                .body("existing", equalTo(false));
        kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class, e -> e.datasetId().equals(id)
                && v1.equals(e.recleanOf()) && !e.eventId().equals(first.eventId()), Duration.ofSeconds(30));
        as(tenant).contentType("application/json").body(body).post(path).then().statusCode(409);
    }

    private static String clean(Path tmp, ObjectLayout layout, String id, String rawPrefix, String uploadManifest,
                                String sha, byte[] raw, CleaningConfig config, String previous) throws Exception {
        String version = CleanedVersions.id(sha, config);
        Path out = tmp.resolve(version);
        CleaningResult r;
        try (CleaningPipeline p = new CleaningPipeline(config, out)) {
            if (previous != null) {
                Manifest m = store.getJson(ObjectLayout.manifest(layout.datasetPrefix(id, previous)), Manifest.class);
                p.previousVersion(previous, store.getJson(store.keyOf(m.output("report")), JsonNode.class).get("counts"));
                for (Split s : Split.values()) {
                    try (InputStream in = store.get(store.keyOf(m.output(s.id())))) {
                        p.previousSplit(s, in);
                    }
                }
            }
            p.add("support-faq.jsonl", new java.io.ByteArrayInputStream(raw), null);
            r = p.finish(Map.of());
        }
        Map<String, String> uris = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            uris.put(s.id(), store.putBytes(layout.split(id, version, s.id()), Files.readAllBytes(r.split(s)),
                    "application/x-ndjson"));
        }
        uris.put("report", store.putBytes(layout.report(id, version), Files.readAllBytes(out.resolve(CleaningReport.FILE)),
                "application/json"));
        store.putJson(ObjectLayout.manifest(layout.datasetPrefix(id, version)), Manifest.of("cleaning-service",
                layout.tenant()).dataset(id, version).input("rawPrefix", rawPrefix).input("upload", uploadManifest)
                .outputs(uris).detail("contentSha256", sha).detail("config", config.asMap())
                .detail("recleanOf", previous).build());
        kafka.sendEvent(DatasetCleaned.create(layout.tenant(), id, version, uris.get("train"), uris.get("validation"),
                uris.get("test"), uris.get("report"), r.train(), r.validation(), r.test(), uploadManifest));
        return version;
    }
}
