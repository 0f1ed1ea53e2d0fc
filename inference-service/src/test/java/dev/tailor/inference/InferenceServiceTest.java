package dev.tailor.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.HostileText;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import io.restassured.RestAssured;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import java.time.Instant;
import java.util.Set;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inference service against the real broker and S3: a deployment event loads the fixture base model and
 * hot-loads an adapter, then a real OpenAI client (openai-java) talks to it, plain and streaming.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class InferenceServiceTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");
    private static final String BASE = "tiny-llama";
    private static final String MODEL = "ft-fixture";
    private static final String ALIAS = "support-bot";

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaTestClient kafka;
    private static ObjectStore store;
    /** A Tailor API key of tenant "default" with the inference-client role: what OpenAI SDKs send as apiKey. */
    private static String apiKey;

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeAll
    static void deploy() throws Exception {
        store = TailorInfraResource.objectStore();
        ServedModels.upload(store);
        apiKey = new ApiKeyStore(store).create("default", "openai-sdk", Set.of(Roles.INFERENCE_CLIENT), "test",
                Instant.now().plus(Duration.ofDays(1))).key().value();
        RestAssured.authentication = RestAssured.oauth2(apiKey);
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        kafka.sendEvent(ModelDeployment.create("default", ALIAS, MODEL, BASE, store.uri(LAYOUT.tunedModel(MODEL)), true));
    }

    @AfterAll
    static void close() {
        kafka.close();
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    private void awaitServed(String id) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().get("/v1/models").jsonPath().getList("data.id").contains(id));
    }

    private OpenAIClient client() {
        return client(apiKey);
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(key).maxRetries(0).build();
    }

    @Test
    void modelsListsBaseTunedAndAlias() {
        awaitServed(ALIAS);
        given().get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
                .body("data.id", hasItems(BASE, MODEL, ALIAS)).body("data.object", hasItems("model"))
                .body("data.owned_by", hasItems("tailor"));
        given().get("/v1/models/" + ALIAS).then().statusCode(200).body("id", equalTo(ALIAS));
    }

    @Test
    void openAiClientGetsTheSameGreedyAnswerPlainAndStreamed() {
        awaitServed(ALIAS);
        OpenAIClient client = client();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(ALIAS)
                .addSystemMessage("You answer support questions.").addUserMessage("How do I reset it?")
                .maxCompletionTokens(12).temperature(0.0).seed(1L)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        ChatCompletion completion = client.chat().completions().create(params);
        assertEquals(1, completion.choices().size());
        String text = completion.choices().get(0).message().content().orElseThrow();
        var usage = completion.usage().orElseThrow();
        assertTrue(usage.promptTokens() > 0);
        assertTrue(usage.completionTokens() > 0 && usage.completionTokens() <= 12);
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
        String finish = completion.choices().get(0).finishReason().asString();
        assertTrue(finish.equals("stop") || finish.equals("length"), finish);
        assertEquals(MODEL, completion.model(), "the model that answered, not the alias");

        StringBuilder streamed = new StringBuilder();
        List<String> finishReasons = new ArrayList<>();
        long[] streamedUsage = {-1};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> {
                    c.delta().content().ifPresent(streamed::append);
                    c.finishReason().ifPresent(f -> finishReasons.add(f.asString()));
                });
                chunk.usage().ifPresent(u -> streamedUsage[0] = u.completionTokens());
            });
        }
        assertEquals(text, streamed.toString(), "greedy decoding streams the same text");
        assertEquals(List.of(finish), finishReasons);
        assertEquals(usage.completionTokens(), streamedUsage[0]);

        // the adapter changes the answer's logits: the base model is served too, under its own name
        ChatCompletion base = client.chat().completions().create(params.toBuilder().model(BASE).build());
        assertFalse(base.choices().isEmpty());
    }

    @Test
    void sseWireFormatEndsWithDone() {
        awaitServed(ALIAS);
        String body = given().contentType(ContentType.JSON).body("{\"model\":\"" + ALIAS + "\",\"stream\":true,"
                + "\"max_tokens\":4,\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).header("Content-Type", startsWith("text/event-stream"))
                .extract().asString();
        List<String> events = body.lines().filter(l -> !l.isBlank()).toList();
        assertTrue(events.stream().allMatch(l -> l.startsWith("data: ")), body);
        assertEquals("data: [DONE]", events.get(events.size() - 1));
        assertTrue(events.get(0).contains("\"role\":\"assistant\""), events.get(0));
    }

    /**
     * Message text is data: contents full of template syntax, special-token strings and odd characters are answered
     * (no 5xx), and the prompt holds each content verbatim and unevaluated. The fixture's tokenizer is byte-level
     * (one token per UTF-8 byte, plus {@code <s>}/{@code </s>} as single control tokens) and its template renders
     * {@code <s>user\n{content}</s>\n<s>assistant\n}: 3 control tokens and 16 + len(content) bytes, so a
     * {@code </s>} typed by the user counts 4 tokens, not 1, and {@code {{ 7*7 }}} 9, not the 2 of "49".
     */
    @Test
    void hostileContentsReachThePromptVerbatim() throws Exception {
        awaitServed(BASE);
        for (String content : HostileText.all()) {
            String body = JSON.writeValueAsString(Map.of("model", BASE, "max_tokens", 2, "temperature", 0,
                    "messages", List.of(Map.of("role", "user", "content", content))));
            given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions").then()
                    .statusCode(200).body("usage.prompt_tokens",
                            equalTo(19 + content.getBytes(StandardCharsets.UTF_8).length));
        }
        String streamed = JSON.writeValueAsString(Map.of("model", ALIAS, "max_tokens", 2, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", HostileText.all().get(1)))));
        assertTrue(given().contentType(ContentType.JSON).body(streamed).post("/v1/chat/completions").then()
                .statusCode(200).extract().asString().endsWith("data: [DONE]\n\n"));
        String tooLong = JSON.writeValueAsString(Map.of("model", BASE, "max_tokens", 2,
                "messages", List.of(Map.of("role", "user", "content", HostileText.longLine(20_000)))));
        given().contentType(ContentType.JSON).body(tooLong).post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"));
    }

    @Test
    void errorsHaveOpenAiShape() {
        awaitServed(ALIAS);
        given().contentType(ContentType.JSON).body("{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(404).body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model")).body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON).body("{\"model\":\"" + ALIAS + "\",\"n\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("n"));
        given().contentType(ContentType.JSON).body("{\"model\":\"" + ALIAS + "\",\"stop\":[\"a\",\"b\"],\"max_tokens\":3,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).body("object", equalTo("chat.completion"));
        given().contentType(ContentType.JSON).body("{\"model\":\"" + ALIAS + "\",\"prompt\":\"Once\",\"max_tokens\":3}")
                .post("/v1/completions").then().statusCode(200).body("object", equalTo("text_completion"))
                .body("usage.completion_tokens", lessThanOrEqualTo(3));
        try {
            client().chat().completions().create(ChatCompletionCreateParams.builder().model("nope")
                    .addUserMessage("x").build());
            throw new AssertionError("expected a 404");
        } catch (NotFoundException e) {
            assertEquals(404, e.statusCode());
        }
    }

    /**
     * Promoted models are served by their id and deployed under their dataset's alias (the newest one); rejected ones
     * are not served; beyond max-tuned-models (6 in tests) the least recently used models without an alias go.
     */
    @Test
    void promotedModelsAreServedAndDeployedRejectedOnesNotAndOldOnesUnloaded() throws Exception {
        awaitServed(ALIAS);
        String dataset = "ds-evict-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = "ft-promoted-" + i + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
            for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
                store.putBytes(LAYOUT.tunedModel(id) + file,
                        Files.readAllBytes(Path.of("src/test/resources/tiny-llama-adapter", file)), "application/octet-stream");
            }
            ids.add(id);
        }
        String rejected = ids.get(0) + "-rejected";
        kafka.sendEvent(ModelEvaluated.create("default", rejected, dataset, BASE,
                store.uri(LAYOUT.tunedModel(ids.get(0))), "s3://tailor/r.json", 2.0, 2.5, "REJECT", "worse"));
        for (String id : ids) {
            kafka.sendEvent(ModelEvaluated.create("default", id, dataset, BASE, store.uri(LAYOUT.tunedModel(id)),
                    "s3://tailor/r.json", 2.0, 1.0, "PROMOTE", "better"));
            awaitServed(id);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                    id.equals(given().get("/v1/deployments/" + dataset).jsonPath().getString("model")));
        }
        List<String> served = given().get("/v1/models").jsonPath().getList("data.id");
        assertFalse(served.contains(ids.get(0)), served.toString());
        assertTrue(served.containsAll(List.of(MODEL, ALIAS, dataset, ids.get(7))), served.toString());
        assertFalse(served.contains(rejected), served.toString());
        given().get("/v1/deployments/" + dataset).then().statusCode(200).body("history[0].model", equalTo(ids.get(6)))
                .body("dataset_id", equalTo(dataset));
        given().contentType(ContentType.JSON).body("{\"model\":\"" + dataset + "\",\"max_tokens\":2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").post("/v1/chat/completions")
                .then().statusCode(200).body("model", equalTo(ids.get(7)));
    }

    @Test
    void openAiClientsNeedAKeyOfTheTenantAndSeeOnlyItsModels() {
        awaitServed(ALIAS);
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(ALIAS)
                .addUserMessage("How do I reset it?").maxCompletionTokens(2).build();
        UnauthorizedException noKey = assertThrows(UnauthorizedException.class,
                () -> client("tlr_0123456789abcdef_" + "x".repeat(43)).chat().completions().create(params));
        assertTrue(noKey.getMessage().contains("API key"), noKey.getMessage());
        given().auth().none().get("/v1/models").then().statusCode(401).body("error.code", equalTo("missing_credentials"))
                .body("error.type", equalTo("invalid_request_error"));
        given().auth().none().contentType(ContentType.JSON).body("{}").post("/v1/completions").then().statusCode(401)
                .body("error.message", startsWith("Unauthorized"));

        // a key of another tenant: the same replica has none of that tenant's models
        String other = new ApiKeyStore(store).create("other-tenant", "bot", Set.of(Roles.INFERENCE_CLIENT), "test",
                Instant.now().plus(Duration.ofDays(1))).key().value();
        assertThrows(NotFoundException.class, () -> client(other).chat().completions().create(params));
        given().auth().oauth2(other).get("/v1/models").then().statusCode(200).body("data", hasSize(0));
        given().auth().oauth2(other).get("/v1/models/" + ALIAS).then().statusCode(404);

        // a key without the role: 403 in OpenAI's shape
        String viewer = new ApiKeyStore(store).create("default", "dashboards", Set.of(Roles.VIEWER), "test",
                Instant.now().plus(Duration.ofDays(1))).key().value();
        assertThrows(PermissionDeniedException.class, () -> client(viewer).chat().completions().create(params));
        given().auth().oauth2(viewer).get("/v1/models").then().statusCode(200).body("data.id", hasItems(ALIAS));

        // an OIDC token works like a key; the rate quota answers 429 as OpenAI does
        String token = TestIssuer.shared().token("limited", "bot@limited", Roles.INFERENCE_CLIENT);
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(token).get("/v1/models").then().statusCode(200);
        }
        given().auth().oauth2(token).get("/v1/models").then().statusCode(429)
                .body("error.code", equalTo("rate_limit_exceeded")).header("Retry-After", notNullValue());
        given().auth().none().get("/q/metrics").then().statusCode(401);
        given().auth().none().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void anInactiveDeploymentRemovesTheAlias() {
        awaitServed(ALIAS);
        kafka.sendEvent(ModelDeployment.create("default", "temp-alias", MODEL, BASE,
                store.uri(LAYOUT.tunedModel(MODEL)), true));
        awaitServed("temp-alias");
        kafka.sendEvent(ModelDeployment.create("default", "temp-alias", MODEL, BASE,
                store.uri(LAYOUT.tunedModel(MODEL)), false));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> !given().get("/v1/models").jsonPath().getList("data.id").contains("temp-alias"));
        given().get("/v1/models").then().body("data.id", hasItems(MODEL, ALIAS));
    }
}
