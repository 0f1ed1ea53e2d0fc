package dev.tailor.inference;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tailor.common.events.ModelDeployment;
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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching through the HTTP API (tests run with 4 sequences per batch and 4 more waiting): concurrent
 * requests on one base model with different adapters answer exactly what each answers alone; past the queue limit
 * requests get 429 with Retry-After and nothing fails; a client that goes away (streaming or not) stops its
 * generation; a request's own deadline ends it.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class ContinuousBatchingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "batch-a";
    private static final String B = "batch-b";
    private static final String LONG = "long-bot";
    private static final String VOCAB = "batch-vocab";

    @TestHTTPResource("/v1")
    URL v1;

    /** A key of the test tenant with the role inference-client. */
    private static String key;

    @BeforeAll
    static void deploy() {
        ObjectStore store = TailorInfraResource.objectStore();
        ServedModels.upload(store);
        key = ServedModels.apiKey(store, Roles.INFERENCE_CLIENT);
        RestAssured.authentication = RestAssured.oauth2(key);
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            kafka.sendEvent(ModelDeployment.create("default", A, ServedModels.MODEL, ServedModels.BASE,
                    store.uri(ServedModels.LAYOUT.tunedModel(ServedModels.MODEL)), true));
            kafka.sendEvent(ModelDeployment.create("default", B, ServedModels.SECOND, ServedModels.BASE,
                    store.uri(ServedModels.LAYOUT.tunedModel(ServedModels.SECOND)), true));
            kafka.sendEvent(ModelDeployment.create("default", LONG, ServedModels.LONG, ServedModels.LONG, null, true));
            kafka.sendEvent(ModelDeployment.create("default", VOCAB, ServedModels.VOCAB, ServedModels.BASE,
                    store.uri(ServedModels.LAYOUT.tunedModel(ServedModels.VOCAB)), true));
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void forgetKey() {
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    @org.junit.jupiter.api.BeforeEach
    void awaitServed() {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).until(() ->
                given().get("/v1/models").jsonPath().getList("data.id").containsAll(List.of(A, B, LONG, VOCAB)));
    }

    private static String body(String model, String content, int maxTokens, boolean stream) throws Exception {
        return JSON.writeValueAsString(Map.of("model", model, "max_tokens", maxTokens, "temperature", 0,
                "stream", stream, "messages", List.of(Map.of("role", "user", "content", content))));
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions");
    }

    /** Runs the calls at once (all released together), returning their results in order. */
    private static <T> List<T> together(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> c : calls) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return c.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Sum of the samples of a Prometheus metric whose labels include {@code labels}. */
    private static double metric(String name, String... labels) {
        double sum = 0;
        for (String line : given().get("/q/metrics").asString().lines().toList()) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Test
    void concurrentRequestsWithDifferentAdaptersAnswerWhatEachAnswersAlone() throws Exception {
        String[] models = {ServedModels.BASE, A, B, A, ServedModels.BASE, B, B, A};
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < models.length; i++) {
            bodies.add(body(models[i], "Question " + i + ": " + "why?".repeat(i % 3 + 1), 40 + i * 5, false));
        }
        List<String> alone = new ArrayList<>();
        for (String b : bodies) {
            alone.add(post(b).then().statusCode(200).extract().path("choices[0].message.content"));
        }
        String batchModel = "model=\"default/" + ServedModels.BASE + "\"";
        double steps = metric("tailor_inference_batch_size_count", batchModel);
        double rows = metric("tailor_inference_batch_size_sum", batchModel);
        List<Callable<JsonNode>> calls = new ArrayList<>();
        for (String b : bodies) {
            calls.add(() -> JSON.readTree(post(b).then().statusCode(200).extract().asString()));
        }
        List<JsonNode> together = together(calls);
        for (int i = 0; i < models.length; i++) {
            assertEquals(alone.get(i), together.get(i).at("/choices/0/message/content").asText(), "request " + i
                    + " on " + models[i]);
        }
        assertEquals(ServedModels.SECOND, together.get(2).path("model").asText(), "the model that answered");
        assertTrue(!alone.get(0).equals(alone.get(1)) || !alone.get(1).equals(alone.get(2)),
                "the adapters change the answers");
        double meanRows = (metric("tailor_inference_batch_size_sum", batchModel) - rows)
                / (metric("tailor_inference_batch_size_count", batchModel) - steps);
        assertTrue(meanRows > 1.5, "the requests were decoded in batches: " + meanRows + " rows per step");
        assertTrue(metric("tailor_inference_time_to_first_token_seconds_count", "adapter=\"" + ServedModels.SECOND
                + "\"") >= 3, "time to first token is measured per adapter");
        assertTrue(metric("tailor_inference_inter_token_latency_seconds_bucket", batchModel) > 0);
    }

    @Test
    void anAdapterWithItsOwnVocabularyReadsAndWritesItsTermsAsTokensAndBatchesWithOthers() throws Exception {
        String question = "What is Autovacuum, and what does the Checkpointer do?";
        JsonNode base = JSON.readTree(post(body(ServedModels.BASE, question, 12, false)).then().statusCode(200)
                .extract().asString());
        JsonNode vocab = JSON.readTree(post(body(VOCAB, question, 12, false)).then().statusCode(200)
                .extract().asString());
        int basePrompt = base.at("/usage/prompt_tokens").asInt();
        int vocabPrompt = vocab.at("/usage/prompt_tokens").asInt();
        assertTrue(vocabPrompt < basePrompt - 10, "each term is one token for the adapter: " + vocabPrompt
                + " prompt tokens vs " + basePrompt + " for the base");
        String answer = vocab.at("/choices/0/message/content").asText();
        assertTrue(ServedModels.TERMS.stream().anyMatch(answer::contains), "the answer decodes the new tokens: "
                + answer);
        String[] models = {VOCAB, A, ServedModels.BASE, VOCAB, B};
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < models.length; i++) {
            bodies.add(body(models[i], question + " ".repeat(i), 20 + 3 * i, false));
        }
        List<String> alone = new ArrayList<>();
        for (String b : bodies) {
            alone.add(post(b).then().statusCode(200).extract().path("choices[0].message.content"));
        }
        List<Callable<String>> calls = new ArrayList<>();
        for (String b : bodies) {
            calls.add(() -> post(b).then().statusCode(200).extract().path("choices[0].message.content"));
        }
        assertEquals(alone, together(calls), "batched with other adapters, each answers what it answers alone");
    }

    @Test
    void pastTheQueueLimitRequestsGet429WithRetryAfterAndNothingFails() throws Exception {
        // long generations (1200 tokens), so that no admitted request ends and frees its place while the burst arrives
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(key).maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(LONG).addUserMessage("go on")
                .maxCompletionTokens(1200).temperature(0.0).build();
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String b = body(LONG, "request " + i, 1200, i % 2 == 0);
            calls.add(() -> {
                Response r = post(b);
                return r.statusCode() == 429 ? Map.of("status", 429, "retryAfter", r.header("Retry-After"),
                        "code", r.jsonPath().getString("error.code"), "type", r.jsonPath().getString("error.type"))
                        : Map.of("status", r.statusCode());
            });
        }
        for (int i = 0; i < 6; i++) {
            calls.add(() -> {
                try {
                    return client.chat().completions().create(params).model();
                } catch (RateLimitException e) {
                    return e;
                }
            });
        }
        List<Object> results = together(calls);
        int ok = 0;
        int limited = 0;
        int clientLimited = 0;
        for (Object r : results) {
            if (r instanceof RateLimitException e) {
                clientLimited++;
                assertEquals("rate_limit_exceeded", e.code().orElseThrow());
                assertTrue(e.getMessage().contains("at capacity"), e.getMessage());
                assertTrue(Integer.parseInt(e.headers().values("Retry-After").get(0)) >= 1);
            } else if (r instanceof Map<?, ?> m && m.get("status").equals(429)) {
                limited++;
                assertEquals("rate_limit_exceeded", m.get("code"));
                assertEquals("requests", m.get("type"));
                assertTrue(Integer.parseInt((String) m.get("retryAfter")) >= 1, m.toString());
            } else if (r instanceof Map<?, ?> m) {
                assertEquals(200, m.get("status"), "only 200 or 429: " + results);
                ok++;
            } else {
                ok++; // an openai-java call that got its completion
            }
        }
        assertTrue(ok >= 4 && ok <= 8 + 2, "4 running + 4 waiting are admitted (a few more as places free): " + ok);
        assertTrue(limited + clientLimited >= 30 - 10, "the rest are refused: " + results);
        assertTrue(clientLimited + (6 - clientLimited) == 6);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                metric("tailor_inference_running_sequences", "model=\"default/" + ServedModels.LONG + "\"") == 0);
        post(body(LONG, "after the storm", 3, false)).then().statusCode(200);
    }

    /**
     * Sends a raw request, reads until {@code until} appears (or, when null, waits until the model is generating: a
     * fixed pause could outlast a generation on a fast engine), then drops the connection.
     */
    private void dropAfter(String body, String until) throws Exception {
        try (Socket socket = new Socket(v1.getHost(), v1.getPort())) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            if (until != null) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.contains(until)) {
                    // headers, then the first events
                }
            } else {
                String model = "model=\"default/" + ServedModels.LONG + "\"";
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                        .until(() -> metric("tailor_inference_running_sequences", model) >= 1);
            }
        }
    }

    @Test
    void aClientThatDisconnectsStopsItsGenerationStreamingOrNot() throws Exception {
        String running = "model=\"default/" + ServedModels.LONG + "\"";
        String cancelled = "outcome=\"cancelled\"";
        double before = metric("tailor_inference_requests_total", running, cancelled);
        long t0 = System.nanoTime();
        dropAfter(body(LONG, "stream and leave", 2000, true), "\"content\"");
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> metric("tailor_inference_requests_total", running, cancelled) == before + 1);
        double streamSeconds = (System.nanoTime() - t0) / 1e9;
        dropAfter(body(LONG, "wait and leave", 2000, false), null);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> metric("tailor_inference_requests_total", running, cancelled) == before + 2);
        assertEquals(0.0, metric("tailor_inference_running_sequences", running));
        // what the cancelled requests would have cost: the same request kept to its end
        long t1 = System.nanoTime();
        post(body(LONG, "stream and leave", 2000, false)).then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("length"));
        double fullSeconds = (System.nanoTime() - t1) / 1e9;
        assertTrue(streamSeconds < fullSeconds, "cancelled after " + streamSeconds + " s; the whole generation takes "
                + fullSeconds + " s");
    }

    /** Sends a streamed request on a raw connection and reads until its first token; the caller closes it. */
    private Socket streaming(String body) throws Exception {
        Socket socket = new Socket(v1.getHost(), v1.getPort());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        socket.setSoTimeout(30_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        assertTrue(status != null && status.contains(" 200 "), "streaming request answered " + status);
        String line;
        while ((line = in.readLine()) != null && !line.contains("\"delta\":{\"content\":\"")) {
            // headers, the role chunk (its delta has the role first)
        }
        return socket;
    }

    @Test
    void aQueuedRequestPastItsDeadlineIsAnsweredWithoutWaitingForARow() throws Exception {
        String model = "model=\"default/" + ServedModels.LONG + "\"";
        List<Socket> fillers = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                fillers.add(streaming(body(LONG, "stream and leave", 1900, true))); // runs to its length
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                    metric("tailor_inference_running_sequences", model) == 4.0); // every row is busy
            given().contentType(ContentType.JSON).header("X-Request-Timeout", "0.5")
                    .body(body(LONG, "queued behind them", 5, false)).post("/v1/chat/completions").then()
                    .statusCode(408).body("error.code", equalTo("request_timeout"));
            assertEquals(4.0, metric("tailor_inference_running_sequences", model),
                    "answered while every row was still busy");
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                metric("tailor_inference_running_sequences", model) == 0);
    }

    @Test
    void aRequestsOwnDeadlineEndsItWithAnOpenAiError() throws Exception {
        given().contentType(ContentType.JSON).header("X-Request-Timeout", "0.3").body(body(LONG, "slow", 2000, false))
                .post("/v1/chat/completions").then().statusCode(408).body("error.code", equalTo("request_timeout"))
                .body("error.message", org.hamcrest.Matchers.containsString("0.3 s"));
        String streamed = given().contentType(ContentType.JSON).header("X-Request-Timeout", "0.3")
                .body(body(LONG, "slow", 2000, true)).post("/v1/chat/completions").then().statusCode(200)
                .extract().asString();
        List<String> events = streamed.lines().filter(l -> l.startsWith("data: ")).toList();
        Matcher error = Pattern.compile("\"code\":\"request_timeout\"").matcher(events.get(events.size() - 1));
        assertTrue(error.find(), "the stream ends with an error event: " + events.get(events.size() - 1));
        given().contentType(ContentType.JSON).header("X-Request-Timeout", "soon").body(body(LONG, "x", 2, false))
                .post("/v1/chat/completions").then().statusCode(400);
    }
}
