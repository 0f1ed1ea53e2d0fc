package dev.tailor.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what on ingest, against the real broker, S3 and a real token issuer on loopback: 401 without or with
 * bad credentials, 403 without the role, 404 across tenants, API keys (create, list, revoke within seconds), the
 * storage and request-rate quotas, erasure with its event and audit trail.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class IngestSecurityTest {
    static final String PROBLEM = "application/problem+json";
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

    static String tenant() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static RequestSpecification as(String tenant, String... roles) {
        return given().auth().oauth2(TestIssuer.shared().token(tenant, "user@" + tenant, roles));
    }

    static String upload(String tenant) {
        return as(tenant, Roles.DATA_EDITOR).contentType("application/x-ndjson")
                .body(("{\"prompt\":\"How do I reset my password " + UUID.randomUUID() + "?\",\"completion\":\"Use the link.\"}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/datasets").then().statusCode(202).extract().jsonPath().getString("datasetId");
    }

    /** Every endpoint of this service, as (method, path). */
    static List<String[]> endpoints(String id) {
        return List.of(new String[] {"POST", "/v1/datasets"}, new String[] {"GET", "/v1/datasets"},
                new String[] {"GET", "/v1/datasets/" + id}, new String[] {"POST", "/v1/datasets/" + id + "/versions"},
                new String[] {"DELETE", "/v1/datasets/" + id}, new String[] {"POST", "/v1/api-keys"},
                new String[] {"GET", "/v1/api-keys"}, new String[] {"DELETE", "/v1/api-keys/0123456789abcdef"});
    }

    @Test
    void everyEndpointAnswers401WithoutOrWithBadCredentials() {
        String id = upload(tenant());
        String forged = TestIssuer.forgedToken(TestIssuer.shared().url(), "acme", Roles.ADMIN);
        for (String[] e : endpoints(id)) {
            for (RequestSpecification spec : List.of(given(), given().auth().oauth2(forged),
                    given().auth().oauth2("tlr_0123456789abcdef_" + "A".repeat(43)), given().auth().oauth2("tlr_bad"),
                    given().header("X-Tailor-Tenant", "acme"))) {
                spec.contentType("application/json").body("{}").request(e[0], e[1]).then()
                        .statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", startsWith("Bearer"))
                        .body("status", equalTo(401)).body("detail", containsString("Authorization: Bearer"));
            }
        }
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void missingRolesAnswer403AndATokenWithoutTenantToo() {
        String tenant = tenant();
        String id = upload(tenant);
        as(tenant, Roles.VIEWER).contentType("application/x-ndjson").body("{\"text\":\"x\"}\n".getBytes()).post("/v1/datasets")
                .then().statusCode(403).contentType(PROBLEM).body("title", equalTo("Forbidden"));
        as(tenant, Roles.INFERENCE_CLIENT).get("/v1/datasets/" + id).then().statusCode(403);
        as(tenant, Roles.TRAINER).delete("/v1/datasets/" + id).then().statusCode(403);
        as(tenant, Roles.DATA_EDITOR).get("/v1/api-keys").then().statusCode(403);
        as(tenant, Roles.VIEWER).get("/v1/datasets/" + id).then().statusCode(200);
        as(null, Roles.ADMIN).get("/v1/datasets").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("tailor_tenant"));
        as("Not A Tenant!", Roles.ADMIN).get("/v1/datasets").then().statusCode(403);
    }

    @Test
    void anotherTenantsDatasetIsNotFound() {
        String a = tenant();
        String b = tenant();
        String id = upload(a);
        as(b, Roles.ADMIN).get("/v1/datasets/" + id).then().statusCode(404).contentType(PROBLEM);
        as(b, Roles.ADMIN).contentType("application/x-ndjson").body("{\"text\":\"mine now\"}\n".getBytes())
                .post("/v1/datasets/" + id + "/versions").then().statusCode(404);
        as(b, Roles.ADMIN).delete("/v1/datasets/" + id).then().statusCode(404);
        as(b, Roles.ADMIN).get("/v1/datasets").then().statusCode(200).body("datasetId", not(hasItem(id)));
        as(a, Roles.VIEWER).get("/v1/datasets/" + id).then().statusCode(200).body("tenant", equalTo(a));
        assertFalse(store.list(b + "/").stream().anyMatch(o -> o.key().contains(id)), "nothing of " + id + " under " + b);
    }

    @Test
    void apiKeysAreShownOnceWorkOnlyForTheirTenantAndRolesAndStopWhenRevoked() throws Exception {
        String tenant = tenant();
        Response created = as(tenant, Roles.ADMIN).contentType("application/json")
                .body(Map.of("name", "uploader", "roles", List.of(Roles.DATA_EDITOR), "expiresIn", "P7D"))
                .post("/v1/api-keys");
        created.then().statusCode(201).body("apiKey.tenant", equalTo(tenant)).body("apiKey.roles", equalTo(List.of(Roles.DATA_EDITOR)));
        String key = created.jsonPath().getString("key");
        String keyId = created.jsonPath().getString("apiKey.keyId");
        assertTrue(key.startsWith("tlr_" + keyId + "_"), key);
        String listed = as(tenant, Roles.ADMIN).get("/v1/api-keys").then().statusCode(200).extract().asString();
        assertTrue(listed.contains(keyId) && !listed.contains(key), "listed by id, never the key: " + listed);
        assertFalse(store.getString(ObjectLayout.apiKey(keyId)).contains(key.substring(21)), "S3 keeps only the hash");

        String id = given().auth().oauth2(key).contentType("application/x-ndjson").body("{\"text\":\"keyed upload\"}\n".getBytes())
                .post("/v1/datasets").then().statusCode(202).body("tenant", equalTo(tenant)).extract().path("datasetId");
        Manifest manifest = store.getJson(ObjectLayout.manifest(new ObjectLayout(tenant).rawPrefix(id)), Manifest.class);
        assertEquals("apikey:" + keyId, manifest.principal(), "the manifest names who uploaded");
        given().auth().oauth2(key).get("/v1/api-keys").then().statusCode(403);

        String other = tenant();
        as(other, Roles.ADMIN).delete("/v1/api-keys/" + keyId).then().statusCode(404);
        as(other, Roles.ADMIN).get("/v1/api-keys").then().statusCode(200).body("keyId", not(hasItem(keyId)));

        as(tenant, Roles.ADMIN).delete("/v1/api-keys/" + keyId).then().statusCode(200).body("active", equalTo(false));
        long revoked = System.nanoTime();
        int status = 0;
        while (System.nanoTime() - revoked < Duration.ofSeconds(10).toNanos()) {
            status = given().auth().oauth2(key).get("/v1/datasets").statusCode();
            if (status == 401) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(401, status, "a revoked key is refused within the cache TTL");
        System.out.printf("revocation took effect after %d ms (tailor.auth.api-key-cache-ttl=PT1S)%n",
                (System.nanoTime() - revoked) / 1_000_000);
        given().auth().oauth2(key).get("/v1/datasets").then().statusCode(401).body("detail", containsString("revoked"));

        as(tenant, Roles.ADMIN).contentType("application/json").body(Map.of("name", "x", "roles", List.of("root")))
                .post("/v1/api-keys").then().statusCode(400).body("detail", containsString("unknown role"));
        as(tenant, Roles.ADMIN).contentType("application/json")
                .body(Map.of("name", "x", "roles", List.of(Roles.VIEWER), "expiresIn", "P9999D"))
                .post("/v1/api-keys").then().statusCode(400).body("detail", containsString("max-api-key-lifetime"));

        AuditEvent made = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, e -> e.tenant().equals(tenant)
                && e.action().equals(AuditEvent.API_KEY_CREATED) && e.resourceId().equals(keyId), Duration.ofSeconds(30));
        assertEquals("user@" + tenant, made.actor());
        AuditEvent uploaded = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, e -> e.tenant().equals(tenant)
                && e.action().equals(AuditEvent.DATASET_UPLOADED), Duration.ofSeconds(30));
        assertEquals("apikey:" + keyId, uploaded.actor());
        kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, e -> e.tenant().equals(tenant)
                && e.action().equals(AuditEvent.API_KEY_REVOKED), Duration.ofSeconds(30));
        for (var r : kafka.readAll(Topics.AUDIT, Duration.ofSeconds(1))) {
            assertFalse(r.value().contains(key.substring(21)), "no secret in audit events: " + r.value());
        }
    }

    @Test
    void quotasAnswer429And403() {
        for (int i = 0; i < 3; i++) {
            as("rate-limited", Roles.VIEWER).get("/v1/datasets").then().statusCode(200);
        }
        as("rate-limited", Roles.VIEWER).get("/v1/datasets").then().statusCode(429).contentType(PROBLEM)
                .header("Retry-After", not(equalTo(null))).body("detail", containsString("requests-per-minute"));
        as(tenant(), Roles.VIEWER).get("/v1/datasets").then().statusCode(200);

        StringBuilder big = new StringBuilder();
        while (big.length() < 30_000) {
            big.append("{\"text\":\"line ").append(big.length()).append(" of a dataset larger than the quota\"}\n");
        }
        as("small-store", Roles.DATA_EDITOR).contentType("application/x-ndjson").body(big.toString().getBytes())
                .post("/v1/datasets").then().statusCode(403).contentType(PROBLEM)
                .body("title", equalTo("Quota exceeded")).body("detail", containsString("storage-bytes"));
        assertEquals(List.of(), store.list("small-store/raw/"), "nothing kept of a refused upload");
    }

    @Test
    void deletingADatasetErasesItsObjectsAndTellsTheServices() throws Exception {
        String tenant = tenant();
        String id = upload(tenant);
        ObjectLayout layout = new ObjectLayout(tenant);
        String version = "v-0123456789abcdef";
        store.putString(layout.split(id, version, "train"), "{\"text\":\"x\"}\n", "application/x-ndjson");
        String model = "ft-" + id;
        ModelTrained trained = ModelTrained.create(tenant, model, "job-" + id, id, version, "tiny",
                store.uri(layout.tunedModel(model)), store.uri(layout.split(id, version, "test")), 1.0, 1.0);
        kafka.sendEvent(trained);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.exists(layout.modelLink(model)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // what inference logged: a completion of a deployment of this dataset, one of the model trained on it (dataset
        // not recorded), one of another dataset's model; and the examples feedback gave this dataset
        store.putString(layout.completion("chatcmpl-a" + id), "{\"datasetId\":\"" + id + "\",\"modelId\":\"m-x\"}",
                "application/json");
        store.putString(layout.completion("chatcmpl-b" + id), "{\"modelId\":\"" + model + "\"}", "application/json");
        String kept = layout.completion("chatcmpl-c" + id);
        store.putString(kept, "{\"datasetId\":\"other-dataset\",\"modelId\":\"ft-other\"}", "application/json");
        store.putString(layout.feedbackExample(id, "chatcmpl-a" + id), "{\"text\":\"x\"}\n", "application/x-ndjson");
        store.putString(layout.feedbackCollected(id, "u-1") + "examples.jsonl", "{\"text\":\"x\"}\n",
                "application/x-ndjson");
        as(tenant, Roles.DATA_EDITOR).delete("/v1/datasets/" + id).then().statusCode(200)
                .body("datasetId", equalTo(id)).body("modelsToRetire.modelId", equalTo(List.of(model)));
        assertEquals(List.of(kept), store.list(layout.completionsRoot()).stream().map(o -> o.key()).toList(),
                "the logged completions of the dataset and of its model are erased, another dataset's kept");
        assertEquals(List.of(), store.list(layout.feedbackRoot(id)));
        assertEquals(List.of(), store.list(layout.rawPrefix(id)));
        assertEquals(List.of(), store.list(layout.datasetRoot(id)));
        assertEquals(List.of(), store.list(layout.statusPrefix(id)));
        as(tenant, Roles.VIEWER).get("/v1/datasets/" + id).then().statusCode(404);
        DatasetDeleted deleted = kafka.awaitEvent(Topics.DATASET_DELETED, DatasetDeleted.class,
                e -> e.datasetId().equals(id), Duration.ofSeconds(30));
        assertEquals("user@" + tenant, deleted.principal());
        AuditEvent audit = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class,
                e -> e.resourceId().equals(id) && e.action().equals(AuditEvent.DATASET_DELETED), Duration.ofSeconds(30));
        assertEquals("user@" + tenant, audit.actor());
        assertEquals(List.of(model), audit.details().get("modelsTrainedOnIt"));

        // a replay of the erased dataset's history must not bring its status or model link back; a later event of a
        // live dataset on the same partition (same key) shows that the replayed copy was read first
        kafka.send(Topics.MODEL_TRAINED, model, dev.tailor.common.json.Json.write(trained));
        String live = upload(tenant);
        String liveModel = "ft-" + live;
        kafka.send(Topics.MODEL_TRAINED, model, dev.tailor.common.json.Json.write(ModelTrained.create(tenant, liveModel,
                "job-" + live, live, version, "tiny", store.uri(layout.tunedModel(liveModel)),
                store.uri(layout.split(live, version, "test")), 1.0, 1.0)));
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!store.exists(layout.modelLink(liveModel)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(store.exists(layout.modelLink(liveModel)), "the live dataset's model was never linked");
        assertEquals(List.of(), store.list(layout.statusPrefix(id)), "a replay brought an erased status back");
        assertFalse(store.exists(layout.modelLink(model)), "a replay brought an erased model link back");
        as(tenant, Roles.VIEWER).get("/v1/datasets/" + id).then().statusCode(404);
    }

    @Test
    void kafkaRequestsCannotReachIntoAnotherTenantsPrefix() throws Exception {
        String victim = tenant();
        String id = upload(victim);
        String attacker = tenant();
        String stolen = "st-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendEvent(dev.tailor.common.events.IngestRequested.create(attacker, stolen, "stolen",
                List.of(store.uri(new ObjectLayout(victim).rawPrefix(id))), null, false, null));
        ConsumerRecord<String, String> dead = kafka.await(Topics.dlq(Topics.INGEST_REQUESTED),
                r -> r.value().contains(stolen), Duration.ofSeconds(30));
        assertTrue(new String(dead.headers().lastHeader("dead-letter-reason").value())
                .contains("outside tenant"), "the reason names the tenant boundary");
        // the refused request's own status entry may land in the attacker's prefix (it records the failure); data may not
        ObjectLayout attackerLayout = new ObjectLayout(attacker);
        assertEquals(List.of(), store.list(attackerLayout.root()).stream()
                .filter(o -> !o.key().startsWith(attackerLayout.statusRoot())).toList(), "nothing copied to " + attacker);
    }
}
