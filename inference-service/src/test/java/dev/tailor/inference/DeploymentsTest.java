package dev.tailor.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tailor.common.Topics;
import dev.tailor.common.events.CompletionFeedback;
import dev.tailor.common.events.CompletionLogged;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deployments through {@code /v1/deployments} on the real broker and S3: deploy, canary split, rollback, undeploy,
 * the evaluation gate (and serving a rejected model on purpose, recorded); the record on the compacted topic is what
 * every replica applies. Completion logging (PII redacted) and feedback that turns into a pending training example
 * of the model's dataset.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class DeploymentsTest {
    private static ObjectStore store;
    private static KafkaTestClient kafka;
    /** An admin key of the test tenant: deployments need admin (completions and feedback inference-client). */
    private static String admin;

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeAll
    static void upload() {
        store = TailorInfraResource.objectStore();
        ServedModels.upload(store);
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        admin = ServedModels.apiKey(store, Roles.ADMIN);
        RestAssured.authentication = RestAssured.oauth2(admin);
    }

    @AfterAll
    static void close() {
        kafka.close();
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    private static String alias() {
        return "bot-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response put(String alias, String body) {
        return given().contentType(ContentType.JSON).body(body).put("/v1/deployments/" + alias);
    }

    private static Response chat(String model, String content, String user) {
        String u = user == null ? "" : ",\"user\":\"" + user + "\"";
        return given().contentType(ContentType.JSON).body("{\"model\":\"" + model + "\",\"max_tokens\":1,"
                + "\"temperature\":0" + u + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    void deployCanaryRollbackAndUndeploy() {
        String alias = alias();
        put(alias, "{\"model\":\"" + ServedModels.MODEL + "\"}").then().statusCode(200)
                .body("object", equalTo("deployment")).body("alias", equalTo(alias))
                .body("model", equalTo(ServedModels.MODEL)).body("base_model", equalTo(ServedModels.BASE))
                .body("dataset_id", equalTo(ServedModels.DATASET)).body("status", equalTo("active"));
        given().get("/v1/deployments").then().statusCode(200).body("data.alias", hasItem(alias));
        chat(alias, "hello", null).then().statusCode(200).body("model", equalTo(ServedModels.MODEL));
        ModelDeployment record = kafka.awaitEvent(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class,
                d -> d.alias().equals(alias), Duration.ofSeconds(10));
        assertEquals(ServedModels.MODEL, record.modelId());

        // a canary answering 30 % of the alias's requests, spread evenly
        put(alias, "{\"model\":\"" + ServedModels.MODEL + "\",\"canary\":{\"model\":\"" + ServedModels.SECOND
                + "\",\"percent\":30}}").then().statusCode(200).body("canary.model", equalTo(ServedModels.SECOND))
                .body("canary.percent", equalTo(30));
        Map<String, Integer> answered = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            answered.merge(chat(alias, "q" + i, null).then().statusCode(200).extract().path("model"), 1, Integer::sum);
        }
        int canary = answered.getOrDefault(ServedModels.SECOND, 0);
        assertTrue(canary >= 54 && canary <= 66, "30 % of 200 requests to the canary (±6): " + answered);
        assertEquals(200, canary + answered.getOrDefault(ServedModels.MODEL, 0), answered.toString());
        // a request naming its user always meets the same model
        String first = chat(alias, "sticky", "user-42").then().extract().path("model");
        for (int i = 0; i < 10; i++) {
            chat(alias, "sticky " + i, "user-42").then().statusCode(200).body("model", equalTo(first));
        }
        given().get("/v1/models/" + alias).then().statusCode(200).body("target", equalTo(ServedModels.MODEL))
                .body("canary", equalTo(ServedModels.SECOND)).body("canary_percent", equalTo(30));

        // the alias moves to another model, then rolls back to the one before
        put(alias, "{\"model\":\"" + ServedModels.SECOND + "\"}").then().statusCode(200)
                .body("model", equalTo(ServedModels.SECOND)).body("history[0].model", equalTo(ServedModels.MODEL))
                .body("canary", nullValue());
        given().post("/v1/deployments/" + alias + "/rollback").then().statusCode(200)
                .body("model", equalTo(ServedModels.MODEL)).body("history", org.hamcrest.Matchers.empty());
        chat(alias, "after rollback", null).then().statusCode(200).body("model", equalTo(ServedModels.MODEL));
        given().post("/v1/deployments/" + alias + "/rollback").then().statusCode(409)
                .body("error.code", equalTo("no_previous_target"))
                .body("error.message", containsString("no previous model"));

        // undeployed: the alias no longer answers, the models themselves still do
        given().delete("/v1/deployments/" + alias).then().statusCode(200).body("status", equalTo("undeployed"));
        chat(alias, "gone", null).then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().get("/v1/deployments/" + alias).then().statusCode(404).body("error.code",
                equalTo("deployment_not_found"));
        given().get("/v1/deployments").then().body("data.alias", not(hasItem(alias)));
        chat(ServedModels.MODEL, "still here", null).then().statusCode(200);
        ModelDeployment last = kafka.awaitEvent(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class,
                d -> d.alias().equals(alias) && !d.active(), Duration.ofSeconds(10));
        assertEquals(ServedModels.MODEL, last.modelId(), "an undeployed record keeps what it served");
    }

    /**
     * Issue 16: copies of old records (a replay of the topic's history) never move an alias back: deployment records
     * carry a version per alias, and an evaluation older than the alias's deployment does not redeploy its model.
     */
    @Test
    void replayedOldDeploymentsAndEvaluationsNeverMoveAnAliasBack() {
        String alias = alias();
        put(alias, "{\"model\":\"" + ServedModels.MODEL + "\"}").then().statusCode(200);
        put(alias, "{\"model\":\"" + ServedModels.SECOND + "\"}").then().statusCode(200);
        ModelDeployment v1 = kafka.awaitEvent(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class,
                d -> d.alias().equals(alias) && d.modelId().equals(ServedModels.MODEL), Duration.ofSeconds(10));
        ModelDeployment v2 = kafka.awaitEvent(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class,
                d -> d.alias().equals(alias) && d.modelId().equals(ServedModels.SECOND), Duration.ofSeconds(10));
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        kafka.sendEvent(v1); // a copy of the old record
        assertStaysAt(alias, ServedModels.SECOND, v1.adapter());

        // a promoted model goes to its dataset's alias; a replayed older evaluation does not bring its model back
        String dataset = "ds-replay-" + UUID.randomUUID().toString().substring(0, 8);
        String report = v1.adapter().replace("/adapter", "/report.json");
        ModelEvaluated first = ModelEvaluated.create(ServedModels.TENANT, ServedModels.MODEL, dataset,
                ServedModels.BASE, v1.adapter(), report, 2.0, 1.0, ModelEvaluated.PROMOTE, "tuned loss is lower");
        kafka.sendEvent(first);
        kafka.awaitEvent(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class,
                d -> d.alias().equals(dataset) && d.modelId().equals(ServedModels.MODEL), Duration.ofSeconds(30));
        ModelEvaluated second = ModelEvaluated.create(ServedModels.TENANT, ServedModels.SECOND, dataset,
                ServedModels.BASE, v2.adapter(), report, 2.0, 0.9, ModelEvaluated.PROMOTE, "tuned loss is lower");
        kafka.sendEvent(second);
        ModelDeployment auto = kafka.awaitEvent(Topics.MODEL_DEPLOYMENTS, ModelDeployment.class,
                d -> d.alias().equals(dataset) && d.modelId().equals(ServedModels.SECOND), Duration.ofSeconds(30));
        assertEquals(2, auto.version());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ServedModels.SECOND.equals(
                given().get("/v1/models/" + dataset).then().extract().path("target")));
        kafka.sendEvent(first);
        kafka.sendEvent(v1);
        assertStaysAt(dataset, ServedModels.SECOND, v1.adapter());
        assertEquals(0, kafka.readAll(Topics.MODEL_DEPLOYMENTS, Duration.ofSeconds(3)).stream()
                .map(r -> Json.read(r.value(), ModelDeployment.class))
                .filter(d -> d.alias().equals(dataset) && d.version() > 2).count(),
                "a replayed evaluation published no deployment");
    }

    /**
     * Once inference has read everything sent before on the deployments and evaluations topics, {@code alias} serves
     * {@code model}. Both consumers read their one partition in order, so a record sent after the others and seen
     * applied means they were handled: a deployment of a fresh alias, and a promoted evaluation of a fresh dataset
     * (instead of polling for seconds in the hope that the consumers got to them).
     */
    private static void assertStaysAt(String alias, String model, String adapter) {
        String marker = alias();
        kafka.sendEvent(ModelDeployment.create(ServedModels.TENANT, marker, ServedModels.MODEL, ServedModels.BASE,
                adapter, true));
        String dataset = "ds-marker-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendEvent(ModelEvaluated.create(ServedModels.TENANT, ServedModels.MODEL, dataset, ServedModels.BASE,
                adapter, adapter.replace("/adapter", "/report.json"), 2.0, 1.0, ModelEvaluated.PROMOTE, "marker"));
        for (String applied : List.of(marker, dataset)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ServedModels.MODEL.equals(
                    given().get("/v1/models/" + applied).then().extract().path("target")));
        }
        given().get("/v1/models/" + alias).then().statusCode(200).body("target", equalTo(model));
        chat(alias, "still", null).then().statusCode(200).body("model", equalTo(model));
    }

    @Test
    void deletingAModelUndeploysItFirstAndAllTunedModelsAreListedWithLineage() {
        String id = "ft-doomed-" + UUID.randomUUID().toString().substring(0, 6);
        ServedModels.tuned(store, id, "tiny-llama-adapter", "PROMOTE", "better");
        String alias = alias();
        // listed from S3 with its lineage before anything loads it
        given().get("/v1/models").then().statusCode(200).body("data.id", not(hasItem(id)));
        given().get("/v1/models?all=true").then().statusCode(200).body("data.id", hasItem(id));
        given().get("/v1/models/" + id).then().statusCode(200).body("kind", equalTo("tuned"))
                .body("dataset_id", equalTo(ServedModels.DATASET)).body("dataset_version", equalTo(ServedModels.VERSION))
                .body("eval_verdict", equalTo("PROMOTE")).body("base_model", equalTo(ServedModels.BASE))
                .body("served", equalTo(false));
        put(alias, "{\"model\":\"" + id + "\"}").then().statusCode(200);
        chat(alias, "hello", null).then().statusCode(200).body("model", equalTo(id));

        given().delete("/v1/models/" + id).then().statusCode(200).body("deleted", equalTo(true))
                .body("undeployed", hasItem(alias));
        chat(alias, "gone", null).then().statusCode(404);
        chat(id, "gone", null).then().statusCode(404);
        given().get("/v1/models/" + id).then().statusCode(404).body("error.code", equalTo("model_not_found"));
        assertTrue(store.list(ServedModels.LAYOUT.tunedModel(id)).isEmpty(), "its folder is deleted");
        given().delete("/v1/models/" + id).then().statusCode(404);
        given().delete("/v1/models/" + ServedModels.BASE).then().statusCode(409)
                .body("error.code", equalTo("model_not_deletable"));
    }

    @Test
    void theGateIsCheckedAndARejectedModelIsServedOnlyOnPurpose() {
        String alias = alias();
        put(alias, "{\"model\":\"" + ServedModels.REJECTED + "\"}").then().statusCode(409)
                .body("error.code", equalTo("model_rejected_by_gate")).body("error.param", equalTo("model"))
                .body("error.message", containsString("not below base 4.5"))
                .body("error.message", containsString("allow_rejected"));
        given().get("/v1/deployments/" + alias).then().statusCode(404);
        put(alias, "{\"model\":\"" + ServedModels.REJECTED + "\",\"allow_rejected\":true}").then().statusCode(200)
                .body("model", equalTo(ServedModels.REJECTED))
                .body("gate_override", containsString("rejected by the evaluation gate"));
        chat(alias, "on purpose", null).then().statusCode(200).body("model", equalTo(ServedModels.REJECTED));
        given().get("/v1/models/" + ServedModels.REJECTED).then().statusCode(200)
                .body("eval_verdict", equalTo("REJECT")).body("dataset_id", equalTo(ServedModels.DATASET))
                .body("dataset_version", equalTo(ServedModels.VERSION)).body("base_model", equalTo(ServedModels.BASE))
                .body("adapter", containsString("models/tuned/" + ServedModels.REJECTED));

        put(alias, "{\"model\":\"no-such-model\"}").then().statusCode(404).body("error.code",
                equalTo("model_not_found"));
        put("Not An Alias", "{\"model\":\"" + ServedModels.MODEL + "\"}").then().statusCode(400)
                .body("error.param", equalTo("alias"));
        put(alias, "{\"model\":\"" + ServedModels.MODEL + "\",\"canary\":{\"model\":\"" + ServedModels.SECOND
                + "\",\"percent\":100}}").then().statusCode(400).body("error.param", equalTo("canary.percent"));
        given().contentType(ContentType.TEXT).body("x").put("/v1/deployments/" + alias).then().statusCode(415)
                .body("error.code", equalTo("unsupported_media_type"));
        given().post("/v1/deployments/no-such-alias/rollback").then().statusCode(404)
                .body("error.code", equalTo("deployment_not_found"));

        // reading takes inference-client or viewer, changing admin; another tenant sees none of it
        String client = ServedModels.apiKey(store, Roles.INFERENCE_CLIENT);
        given().auth().oauth2(client).get("/v1/deployments/" + alias).then().statusCode(200);
        given().auth().oauth2(client).contentType(ContentType.JSON).body("{\"model\":\"" + ServedModels.MODEL + "\"}")
                .put("/v1/deployments/" + alias).then().statusCode(403).body("error.message", notNullValue());
        given().auth().oauth2(client).delete("/v1/deployments/" + alias).then().statusCode(403);
        given().auth().none().get("/v1/deployments").then().statusCode(401);
        String other = new dev.tailor.common.auth.ApiKeyStore(store).create("other-tenant", "ops", java.util.Set.of(
                Roles.ADMIN), "test", java.time.Instant.now().plus(Duration.ofDays(1))).key().value();
        given().auth().oauth2(other).get("/v1/deployments/" + alias).then().statusCode(404);
        given().auth().oauth2(other).get("/v1/deployments").then().statusCode(200)
                .body("data.alias", not(hasItem(alias)));
        given().auth().oauth2(other).contentType(ContentType.JSON).body("{\"model\":\"" + ServedModels.MODEL + "\"}")
                .put("/v1/deployments/" + alias).then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void loggedCompletionsAreRedactedAndFeedbackBecomesAPendingExampleOfTheDataset() throws Exception {
        String alias = alias();
        put(alias, "{\"model\":\"" + ServedModels.MODEL + "\",\"log_completions\":true}").then().statusCode(200)
                .body("log_completions", equalTo(true));
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(admin).maxRetries(0).build();
        var completion = client.chat().completions().create(ChatCompletionCreateParams.builder().model(alias)
                .addUserMessage("I am jane.doe@example.com, call me at +1 415 555 0100. How do I reset it?")
                .maxCompletionTokens(8).temperature(0.0).build());
        String id = completion.id();
        assertEquals(ServedModels.MODEL, completion.model());

        CompletionLogged logged = kafka.awaitEvent(Topics.COMPLETIONS_LOGGED, CompletionLogged.class,
                c -> c.completionId().equals(id), Duration.ofSeconds(20));
        String prompt = logged.messages().get(logged.messages().size() - 1).content();
        assertFalse(prompt.contains("jane.doe@example.com") || prompt.contains("555 0100"), prompt);
        assertTrue(logged.redactions() >= 2, "e-mail and phone number replaced: " + prompt);
        assertEquals(alias, logged.alias());
        assertEquals(ServedModels.MODEL, logged.modelId());
        assertEquals(ServedModels.DATASET, logged.datasetId());
        assertEquals(completion.choices().get(0).message().content().orElse(""), logged.answer());

        given().contentType(ContentType.JSON).body("{\"completion_id\":\"" + id + "\",\"rating\":2,"
                + "\"corrected_answer\":\"Open Settings, then Security; mail help@example.com.\"}")
                .post("/v1/feedback").then().statusCode(202).body("completion_id", equalTo(id))
                .body("corrected", equalTo(true)).body("model", equalTo(ServedModels.MODEL));
        CompletionFeedback feedback = kafka.awaitEvent(Topics.COMPLETIONS_FEEDBACK, CompletionFeedback.class,
                f -> f.completionId().equals(id), Duration.ofSeconds(10));
        assertFalse(feedback.correctedAnswer().contains("help@example.com"), feedback.correctedAnswer());
        String example = ServedModels.LAYOUT.feedbackExample(ServedModels.DATASET, id);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.exists(example));
        JsonNode line = Json.mapper().readTree(store.getString(example));
        assertEquals("pending", line.path("review").asText());
        assertEquals("feedback", line.path("source").asText());
        JsonNode messages = line.path("messages");
        assertEquals("assistant", messages.get(messages.size() - 1).path("role").asText());
        assertTrue(messages.get(messages.size() - 1).path("content").asText().startsWith("Open Settings, then"),
                line.toString());
        assertFalse(line.toString().contains("jane.doe@example.com"), line.toString());

        // a later low rating without a correction withdraws the example
        given().contentType(ContentType.JSON).body("{\"completion_id\":\"" + id + "\",\"rating\":1}")
                .post("/v1/feedback").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !store.exists(example));

        // a replayed copy of the first feedback does not bring the example back (it may have been taken by a new
        // version since); feedback read after it on the same partition (same key) shows the copy was read
        kafka.sendEvent(feedback);
        CompletionFeedback later = CompletionFeedback.create(feedback.tenant(), "chatcmpl-later", feedback.completion(),
                alias, ServedModels.MODEL, null, 4, null);
        kafka.send(Topics.COMPLETIONS_FEEDBACK, feedback.completionId(), Json.write(later));
        String marker = new dev.tailor.common.storage.ObjectLayout(later.tenant())
                .handledEvent("inference-service.completions-feedback", later.eventId());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.exists(marker) || store.exists(example));
        assertFalse(store.exists(example), "a replayed feedback brought a withdrawn example back");

        // errors in OpenAI's shape, through the official client too
        given().contentType(ContentType.JSON).body("{\"completion_id\":\"chatcmpl-unknown\",\"rating\":5}")
                .post("/v1/feedback").then().statusCode(404).body("error.code", equalTo("completion_not_found"));
        given().contentType(ContentType.JSON).body("{\"completion_id\":\"" + id + "\",\"rating\":9}")
                .post("/v1/feedback").then().statusCode(400).body("error.param", equalTo("rating"));
        given().contentType(ContentType.JSON).body("{\"rating\":5}").post("/v1/feedback").then().statusCode(400)
                .body("error.param", equalTo("completion_id"));
        String other = new dev.tailor.common.auth.ApiKeyStore(store).create("other-tenant", "bot", java.util.Set.of(
                Roles.INFERENCE_CLIENT), "test", java.time.Instant.now().plus(Duration.ofDays(1))).key().value();
        given().auth().oauth2(other).contentType(ContentType.JSON).body("{\"completion_id\":\"" + id
                + "\",\"rating\":5}").post("/v1/feedback").then().statusCode(404)
                .body("error.code", equalTo("completion_not_found"));
        NotFoundException unknown = org.junit.jupiter.api.Assertions.assertThrows(NotFoundException.class,
                () -> client.chat().completions().create(ChatCompletionCreateParams.builder().model(alias + "-gone")
                        .addUserMessage("x").build()));
        assertEquals("model_not_found", unknown.code().orElseThrow());
    }

    @jakarta.inject.Inject
    dev.tailor.inference.service.CompletionRetention retention;

    @jakarta.inject.Inject
    dev.tailor.inference.config.InferenceSettings settings;

    @Test
    void loggedCompletionsOlderThanTheRetentionAreSweptInEveryTenantAndNothingElse() {
        String alias = alias();
        put(alias, "{\"model\":\"" + ServedModels.MODEL + "\",\"log_completions\":true}").then().statusCode(200);
        String id = chat(alias, "How long are my questions kept?", null).then().statusCode(200).extract().path("id");
        String logged = ServedModels.LAYOUT.completion(id);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> store.exists(logged));
        dev.tailor.common.storage.ObjectLayout other = new dev.tailor.common.storage.ObjectLayout("retention-other");
        String otherLogged = other.completion("chatcmpl-" + UUID.randomUUID());
        store.putString(otherLogged, "{}", "application/json");
        String notACompletion = other.feedbackExample("ds", "chatcmpl-kept");
        store.putString(notACompletion, "{}", "application/x-ndjson");

        retention.sweep(java.time.Instant.now());
        assertTrue(store.exists(logged) && store.exists(otherLogged), "younger than the retention: kept");

        Duration keep = settings.completions().retention();
        assertEquals(Duration.ofDays(30), keep, "the documented default");
        assertTrue(retention.sweep(java.time.Instant.now().plus(keep).plusSeconds(60)) >= 2);
        assertFalse(store.exists(logged), logged);
        assertFalse(store.exists(otherLogged), otherLogged);
        assertTrue(store.exists(notACompletion), "only completions are swept");
        given().contentType(ContentType.JSON).body("{\"completion_id\":\"" + id + "\",\"rating\":5}")
                .post("/v1/feedback").then().statusCode(404).body("error.code", equalTo("completion_not_found"));
    }
}
