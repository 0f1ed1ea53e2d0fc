package dev.tailor.eval;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.Topics;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/evaluations against the real S3: a tuned model against its base and against another tuned model, on a
 * dataset version's test split and on an uploaded eval set; the record, the lists by model and dataset, both
 * reports, and problem details for bad input. Every call is a trainer of tenant "default" (a token of the test's
 * issuer); another tenant's caller finds none of it, and the roles are checked.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class EvaluationsApiTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");
    private static final String BASE = "tiny-llama";
    private static final String DATASET = "api-ds";
    private static final Path FIXTURE = Path.of("src/test/resources/tiny-llama");
    private static ObjectStore store;
    private static String modelA;
    private static String modelB;
    private static final String TRAINER = TestIssuer.shared().token("default", "alice@default", Roles.TRAINER);

    /** A request of a trainer of "default". */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TRAINER);
    }

    @BeforeAll
    static void setUp() throws Exception {
        store = TailorInfraResource.objectStore();
        store.ensureBucket();
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(LAYOUT.baseModel(BASE) + file, Files.readAllBytes(FIXTURE.resolve(file)),
                    "application/octet-stream");
        }
        StringBuilder test = new StringBuilder();
        String[][] qa = {{"hi", "hello there"}, {"2+2?", "four"}, {"sky?", "blue sky"}, {"cat?", "meow meow"},
                {"dog?", "woof"}, {"sun?", "hot and bright"}};
        for (String[] p : qa) {
            test.append(Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", p[0]),
                    Map.of("role", "assistant", "content", p[1])), "source", Map.of("kind", "email",
                    "file", "inbox.mbox")))).append('\n');
        }
        store.putString(LAYOUT.split(DATASET, "v1", "test"), test.toString(), "application/x-ndjson");
        modelA = tuned("ft-api-a-");
        modelB = tuned("ft-api-b-");
    }

    /** A tuned model: the fixture's adapter with the training summary a worker writes. */
    private static String tuned(String prefix) throws Exception {
        String id = prefix + UUID.randomUUID().toString().substring(0, 8);
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            store.putBytes(LAYOUT.tunedModel(id) + file,
                    Files.readAllBytes(Path.of("src/test/resources/tiny-llama-adapter", file)), "application/octet-stream");
        }
        store.putJson(ObjectLayout.trainingSummary(LAYOUT.tunedModel(id)), Map.of("jobId", "job-" + id,
                "modelId", id, "datasetId", DATASET, "datasetVersion", "v1", "baseModel", BASE,
                "params", Map.of("lora", Map.of("rank", 4))));
        return id;
    }

    private static Response awaitDone(String id) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String state = given().get("/v1/evaluations/" + id).then().statusCode(200).extract().path("state");
            return "SUCCEEDED".equals(state) || "FAILED".equals(state);
        });
        return given().get("/v1/evaluations/" + id);
    }

    @Test
    void aModelAgainstItsBaseOnItsTestSplit() {
        String body = Json.write(Map.of("model", modelA, "settings", Map.of("generation", Map.of("maxNewTokens", 8),
                "gate", Map.of("loss", Map.of()))));
        Response created = given().contentType("application/json").body(body).post("/v1/evaluations");
        created.then().statusCode(202).body("state", equalTo("QUEUED")).body("modelId", equalTo(modelA))
                .body("baselineId", equalTo(BASE)).header("Location", containsString("/v1/evaluations/ev-"));
        String id = created.path("evaluationId");
        // the same request again is the same evaluation
        given().contentType("application/json").body(body).post("/v1/evaluations").then().statusCode(200)
                .body("evaluationId", equalTo(id));

        Response done = awaitDone(id);
        done.then().body("state", equalTo("SUCCEEDED")).body("reportUrl", equalTo("/v1/evaluations/" + id
                + "/report.html")).body("verdict", org.hamcrest.Matchers.oneOf("PROMOTE", "REJECT"))
                .body("reason", containsString("test loss")).body("metrics.metric", hasItem("rouge_l"));
        given().get("/v1/evaluations/" + id + "/report.json").then().statusCode(200)
                .body("tuned.id", equalTo(modelA)).body("baseline.id", equalTo(BASE))
                .body("lineage.datasetId", equalTo(DATASET)).body("lineage.jobId", equalTo("job-" + modelA))
                .body("results.size()", equalTo(6)).body("trigger", equalTo("api"));
        String html = given().get("/v1/evaluations/" + id + "/report.html").then().statusCode(200)
                .contentType(containsString("text/html")).extract().asString();
        assertTrue(html.contains(modelA) && html.contains("<svg") && !html.contains("<script"), html);

        given().queryParam("model", modelA).get("/v1/evaluations").then().statusCode(200)
                .body("evaluationId", hasItem(id));
        given().queryParam("dataset", DATASET).get("/v1/evaluations").then().statusCode(200)
                .body("evaluationId", hasItem(id));
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            AuditEvent audit = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, a -> id.equals(a.resourceId()),
                    Duration.ofSeconds(30));
            assertEquals("alice@default", audit.actor(), "who asked for the evaluation");
            assertEquals(AuditEvent.MODEL_EVALUATED, audit.action());
        }
        assertEquals("alice@default", Json.read(store.getBytes(ObjectLayout.manifest(LAYOUT.evalPrefix(id))),
                com.fasterxml.jackson.databind.JsonNode.class).path("principal").asText());

        // another tenant: none of it exists there, its own models and sets are what it can name
        String other = TestIssuer.shared().token("other-eval", "mallory@other", Roles.ADMIN);
        for (String path : List.of("/v1/evaluations/" + id, "/v1/evaluations/" + id + "/report.json",
                "/v1/evaluations/" + id + "/report.html")) {
            RestAssured.given().auth().oauth2(other).get(path).then().statusCode(404);
        }
        RestAssured.given().auth().oauth2(other).queryParam("model", modelA).get("/v1/evaluations").then()
                .statusCode(200).body("size()", equalTo(0));
        RestAssured.given().auth().oauth2(other).contentType("application/json").body(body).post("/v1/evaluations")
                .then().statusCode(404).body("field", equalTo("model"));
        RestAssured.given().auth().oauth2(other).contentType("application/json").body(Json.write(Map.of("model",
                modelA, "evalSet", store.uri(LAYOUT.split(DATASET, "v1", "test"))))).post("/v1/evaluations").then()
                .statusCode(404);
        // roles: reading needs viewer, asking needs trainer; nothing without credentials
        String viewer = TestIssuer.shared().token("default", "vic@default", Roles.VIEWER);
        RestAssured.given().auth().oauth2(viewer).get("/v1/evaluations/" + id).then().statusCode(200);
        RestAssured.given().auth().oauth2(viewer).contentType("application/json").body(body).post("/v1/evaluations")
                .then().statusCode(403);
        RestAssured.given().auth().oauth2(TestIssuer.shared().token("default", "bot", Roles.INFERENCE_CLIENT))
                .get("/v1/evaluations/" + id + "/report.json").then().statusCode(403);
        RestAssured.given().get("/v1/evaluations/" + id).then().statusCode(401);
        RestAssured.given().contentType("application/json").body(body).post("/v1/evaluations").then().statusCode(401);
    }

    @Test
    void twoTunedModelsOnAnUploadedEvalSet() {
        String jsonl = "{\"messages\":[{\"role\":\"user\",\"content\":\"ping?\"},{\"role\":\"assistant\","
                + "\"content\":\"pong\"}]}\n{\"prompt\":\"mode?\",\"completion\":\"dark mode\"}\n";
        Response set = given().contentType("application/x-ndjson").body(jsonl.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/eval-sets");
        set.then().statusCode(201).body("examples", equalTo(2));
        String uri = set.path("uri");
        assertTrue(uri.startsWith("s3://") && uri.contains("/evals/_sets/"), uri);

        String id = given().contentType("application/json").body(Json.write(Map.of("model", modelA,
                        "baseline", modelB, "evalSet", set.path("id"), "settings", Map.of("generation",
                                Map.of("maxNewTokens", 6), "metrics", Map.of("embeddings", false)))))
                .post("/v1/evaluations").then().statusCode(202).extract().path("evaluationId");
        awaitDone(id).then().body("state", equalTo("SUCCEEDED")).body("baselineId", equalTo(modelB))
                .body("datasetId", equalTo(null));
        Response report = given().get("/v1/evaluations/" + id + "/report.json");
        report.then().body("baseline.id", equalTo(modelB)).body("baseline.adapter", containsString(modelB))
                .body("examples", equalTo(2)).body("metrics.metric", org.hamcrest.Matchers.not(hasItem(
                        "embedding_cosine")));
        // the same adapter on both sides: every answer and loss is the same, so every gain is 0
        List<Float> gains = report.path("metrics.comparison.meanGain");
        gains.forEach(g -> assertEquals(0.0, g, 1e-6));
    }

    @Test
    void badRequestsAreProblemsNamingTheField() {
        given().contentType("application/json").body("{").post("/v1/evaluations").then().statusCode(400)
                .contentType(containsString("application/problem+json")).body("field", equalTo("body"));
        given().contentType("application/json").body("{\"baseline\":\"x\"}").post("/v1/evaluations").then()
                .statusCode(400).body("field", equalTo("model"));
        given().contentType("application/json").body("{\"model\":\"" + modelA + "\",\"colour\":1}")
                .post("/v1/evaluations").then().statusCode(400).body("field", equalTo("colour"));
        given().contentType("application/json").body("{\"model\":\"no-such-model\"}").post("/v1/evaluations")
                .then().statusCode(404).body("field", equalTo("model")).body("detail", containsString("no-such-model"));
        given().contentType("application/json").body("{\"model\":\"" + modelA + "\",\"datasetId\":\"" + DATASET
                + "\",\"datasetVersion\":\"v9\"}").post("/v1/evaluations").then().statusCode(404)
                .body("field", equalTo("datasetVersion"));
        given().contentType("application/json").body("{\"model\":\"" + modelA + "\",\"settings\":{\"gate\":"
                + "{\"metrics\":[{\"metric\":\"bleu\"}]}}}").post("/v1/evaluations").then().statusCode(400)
                .body("field", equalTo("settings")).body("detail", containsString("rouge_l"));
        given().contentType("application/json").body("{\"model\":\"" + modelA + "\",\"settings\":{\"judge\":"
                + "{\"url\":\"ftp://x\",\"model\":\"j\"}}}").post("/v1/evaluations").then().statusCode(400)
                .body("detail", containsString("judge.url"));
        given().contentType("application/json").body("{\"model\":\"" + BASE + "\"}").post("/v1/evaluations")
                .then().statusCode(400).body("field", equalTo("baseline"));
        given().get("/v1/evaluations/ev-none").then().statusCode(404).body("field", equalTo("id"));
        given().get("/v1/evaluations").then().statusCode(400);
        given().contentType("application/x-ndjson").body("{\"nothing\":1}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/v1/eval-sets").then()
                .statusCode(400).body("detail", containsString("line 1"));
    }
}
