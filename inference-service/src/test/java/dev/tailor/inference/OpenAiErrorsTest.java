package dev.tailor.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionCreateParams;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a request can be wrong gets OpenAI's error object with a status OpenAI clients understand: through the
 * official openai-java client (which raises its typed exception with the message, code and param), and over plain
 * HTTP for what that client never sends (malformed JSON, a wrong or missing Content-Type).
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class OpenAiErrorsTest {
    private static final String ALIAS = "errors-bot";

    /** A key of the test tenant with the role inference-client: what an OpenAI SDK sends as its key. */
    private static String key;

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeAll
    static void deploy() {
        ServedModels.upload(TailorInfraResource.objectStore());
        key = ServedModels.apiKey(TailorInfraResource.objectStore(), Roles.INFERENCE_CLIENT);
        RestAssured.authentication = RestAssured.oauth2(key);
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            kafka.sendEvent(ModelDeployment.create("default", ALIAS, ServedModels.MODEL, ServedModels.BASE,
                    TailorInfraResource.objectStore().uri(ServedModels.LAYOUT.tunedModel(ServedModels.MODEL)), true));
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetKey() {
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    private void awaitServed() {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().get("/v1/models").jsonPath().getList("data.id").contains(ALIAS));
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(key).maxRetries(0).build();
    }

    private static ValidatableResponse error(ValidatableResponse r, int status, String code) {
        return r.statusCode(status).contentType(ContentType.JSON).body("error.message", notNullValue())
                .body("error.type", notNullValue()).body("error.code", equalTo(code));
    }

    @Test
    void malformedJsonWrongContentTypeEmptyAndOversizedBodiesAreOpenAiErrors() throws Exception {
        error(given().contentType(ContentType.JSON).body("{\"model\": \"x\", \"messages\": [").post("/v1/chat/completions")
                .then(), 400, null).body("error.message", containsString("could not parse the JSON body"))
                .body("error.type", equalTo("invalid_request_error"));
        error(given().contentType(ContentType.JSON).body("").post("/v1/chat/completions").then(), 400, null)
                .body("error.message", containsString("empty"));
        error(given().contentType(ContentType.TEXT).body("{\"model\":\"" + ALIAS + "\"}").post("/v1/chat/completions")
                .then(), 415, "unsupported_media_type").body("error.message", containsString("text/plain"));
        java.net.http.HttpResponse<String> none = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(v1 + "/completions"))
                        .header("Authorization", "Bearer " + key).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(415, none.statusCode());
        assertTrue(none.body().contains("\"code\":\"unsupported_media_type\"") && none.body().contains("no Content-Type"),
                none.body());
        byte[] big = new byte[4 * 1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        error(given().contentType(ContentType.JSON).body(big).post("/v1/chat/completions").then(), 413,
                "request_too_large").body("error.message", containsString("4194304 bytes"));
        error(given().get("/v1/no-such-endpoint").then(), 404, "not_found");
        error(given().get("/v1/chat/completions").then(), 405, "method_not_allowed");
        error(given().contentType(ContentType.JSON).body("[1, 2]").post("/v1/chat/completions").then(), 400, null)
                .body("error.message", containsString("JSON object"));
    }

    @Test
    void anOversizedChunkedBodyIsAnOpenAiErrorAndASmallChunkedBodyIsRead() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        // a body of unknown length (an input stream): sent chunked, without Content-Length
        byte[] big = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        java.net.http.HttpResponse<String> large = http.send(chunked("/chat/completions", big),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, large.statusCode(), large.body());
        io.restassured.path.json.JsonPath error = new io.restassured.path.json.JsonPath(large.body());
        assertEquals("request_too_large", error.getString("error.code"));
        assertEquals("invalid_request_error", error.getString("error.type"));
        assertTrue(error.getString("error.message").contains("4194304 bytes"), large.body());
        // under the limit a chunked body is read as usual: its own error (malformed JSON), not the limit's
        java.net.http.HttpResponse<String> small = http.send(chunked("/chat/completions",
                "{\"model\": \"x\", \"messages\": [".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, small.statusCode(), small.body());
        assertTrue(small.body().contains("could not parse the JSON body"), small.body());
    }

    private java.net.http.HttpRequest chunked(String path, byte[] body) {
        return java.net.http.HttpRequest.newBuilder(java.net.URI.create(v1 + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))).build();
    }

    @Test
    void theOpenAiClientGetsTypedErrorsWithMessageCodeAndParam() {
        awaitServed();
        OpenAIClient client = client();
        ChatCompletionCreateParams ok = ChatCompletionCreateParams.builder().model(ALIAS).addUserMessage("hi")
                .maxCompletionTokens(2).temperature(0.0).build();
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> client.chat().completions().create(ok.toBuilder().model("no-such-model").build()));
        assertEquals("model_not_found", missing.code().orElseThrow());
        assertEquals("model", missing.param().orElseThrow());
        assertTrue(missing.getMessage().contains("no-such-model"), missing.getMessage());

        // the fixture's context is 128 tokens: a prompt of 19 + 4 tokens plus 120 asked for is too many
        BadRequestException tooMany = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ok.toBuilder().maxCompletionTokens(120).build()));
        assertEquals("context_length_exceeded", tooMany.code().orElseThrow());
        assertTrue(tooMany.getMessage().contains("maximum context length is 128 tokens")
                && tooMany.getMessage().contains("(21 in the messages, 120 in the completion)"), tooMany.getMessage());
        BadRequestException legacy = assertThrows(BadRequestException.class, () -> client.completions().create(
                CompletionCreateParams.builder().model(CompletionCreateParams.Model.of(ALIAS)).prompt("Once")
                        .maxTokens(500L).build()));
        assertEquals("context_length_exceeded", legacy.code().orElseThrow());
        assertTrue(legacy.getMessage().contains("in the prompt, 500 in the completion"), legacy.getMessage());
        BadRequestException longPrompt = assertThrows(BadRequestException.class, () -> client.chat().completions()
                .create(ok.toBuilder().messages(java.util.List.of()).addUserMessage("x".repeat(200)).build()));
        assertTrue(longPrompt.getMessage().contains("your messages resulted in 219 tokens"), longPrompt.getMessage());

        BadRequestException n = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ok.toBuilder().n(3L).build()));
        assertEquals("n", n.param().orElseThrow());
        BadRequestException temperature = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ok.toBuilder().temperature(3.5).build()));
        assertEquals("temperature", temperature.param().orElseThrow());
        BadRequestException user = assertThrows(BadRequestException.class, () -> client.chat().completions()
                .create(ok.toBuilder().putAdditionalBodyProperty("user", JsonValue.from(42)).build()));
        assertEquals("user", user.param().orElseThrow());

        // a body beyond the limit: the client reads the 413's error object
        UnexpectedStatusCodeException large = assertThrows(UnexpectedStatusCodeException.class, () -> client.chat()
                .completions().create(ok.toBuilder().messages(java.util.List.of())
                        .addUserMessage("y".repeat(4 * 1024 * 1024)).build()));
        assertEquals(413, large.statusCode());
        assertEquals("request_too_large", large.code().orElseThrow());

    }
}
