package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.ServiceProcess;
import dev.tailor.localstack.TailorService;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Production serving after the pipeline: the promoted model is deployed under its dataset's alias; a second
 * inference replica started later converges from the compacted deployments topic, and changes made on either replica
 * (deploy, rollback) reach the other; a completion logged on one replica gets feedback on the other, and the
 * corrected answer becomes an example of the dataset's next version.
 */
final class ServingFlow {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String QUESTION = "How do I make a column count up by itself in SQLite?";
    private static final String CORRECTED = "Declare it INTEGER PRIMARY KEY: SQLite fills it with the next row id"
            + " by itself. Add AUTOINCREMENT only if ids of deleted rows must never be reused.";

    private final LocalStack stack;
    private final ObjectStore store;
    private final Path servicesRoot;
    private final Path work;
    private final String key;
    private final Map<String, String> inferenceSettings;

    /**
     * @param key               an admin API key of the tenant (deployments need admin, feedback inference-client)
     * @param inferenceSettings the settings every inference replica of the run gets (its OIDC issuer)
     */
    ServingFlow(LocalStack stack, ObjectStore store, Path servicesRoot, Path work, String key,
                Map<String, String> inferenceSettings) {
        this.stack = stack;
        this.store = store;
        this.servicesRoot = servicesRoot;
        this.work = work;
        this.key = key;
        this.inferenceSettings = inferenceSettings;
    }

    void run(TopicLog log, String tenant, String datasetId, ModelEvaluated eval, String baseModel) throws Exception {
        String one = stack.url(TailorService.INFERENCE);
        String alias = datasetId.toLowerCase(Locale.ROOT);
        String modelId = eval.modelId();
        awaitDeployment(one, alias, d -> modelId.equals(d.path("model").asText()));
        assertEquals(200, send("PUT", one + "/v1/deployments/" + alias, Map.of("model", modelId,
                "log_completions", true)).statusCode());

        Map<String, String> props = new LinkedHashMap<>(stack.infra().quarkusConfig());
        props.putAll(inferenceSettings);
        props.put("tailor.inference.cache-dir", work.resolve("inference-2-cache").toString());
        try (ServiceProcess second = ServiceProcess.forModule(servicesRoot, TailorService.INFERENCE.module())
                .jvmArgs(TailorService.INFERENCE.jvmOptions()).systemProperties(props)
                .env(stack.infra().credentialsEnv()).env("OMP_WAIT_POLICY", "PASSIVE")
                .logTo(work.resolve("logs/inference-2.log"))
                .httpPort(freePort()).readyTimeout(Duration.ofMinutes(4)).start()) {
            String two = second.baseUri().toString();
            awaitDeployment(two, alias, d -> modelId.equals(d.path("model").asText())
                    && d.path("log_completions").asBoolean());

            // a change on replica 2 reaches replica 1, a rollback on replica 1 reaches replica 2
            assertEquals(200, send("PUT", two + "/v1/deployments/" + alias, Map.of("model", baseModel,
                    "log_completions", true)).statusCode());
            awaitDeployment(one, alias, d -> baseModel.equals(d.path("model").asText()));
            assertEquals(baseModel, chat(one, alias).path("model").asText());
            HttpResponse<String> back = send("POST", one + "/v1/deployments/" + alias + "/rollback", null);
            assertEquals(200, back.statusCode(), back::body);
            awaitDeployment(two, alias, d -> modelId.equals(d.path("model").asText()));

            // a completion on replica 2, its feedback on replica 1
            JsonNode completion = chat(two, alias);
            assertEquals(modelId, completion.path("model").asText(), completion.toString());
            String id = completion.path("id").asText();
            ObjectLayout layout = new ObjectLayout(tenant);
            awaitTrue(() -> store.exists(layout.completion(id)), "completion " + id + " logged");
            HttpResponse<String> fb = send("POST", one + "/v1/feedback", Map.of("completion_id", id, "rating", 2,
                    "corrected_answer", CORRECTED));
            assertEquals(202, fb.statusCode(), fb::body);
            awaitTrue(() -> store.exists(layout.feedbackExample(datasetId, id)), "feedback example of " + id);
        }

        // the dataset's next version takes it
        String more = Json.write(Map.of("messages", List.of(Map.of("role", "user", "content",
                "Can SQLite store dates?"), Map.of("role", "assistant", "content", "SQLite has no date type: store"
                + " ISO-8601 text, Julian day numbers or Unix times and use its date and time functions on them."))))
                + "\n";
        HttpResponse<String> version = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(TailorService.INGEST)
                        + "/v1/datasets/" + datasetId + "/versions?filename=more.jsonl"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(more)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, version.statusCode(), version::body);
        assertEquals(1, Json.mapper().readTree(version.body()).path("feedbackExamples").asInt(), version.body());
        String firstVersion = Json.read(log.on(Topics.DATASET_CLEANED).stream()
                .filter(e -> e.value().contains(datasetId)).findFirst().orElseThrow().value(), DatasetCleaned.class)
                .version();
        DatasetCleaned next = Json.read(log.await(e -> e.topic().equals(Topics.DATASET_CLEANED)
                        && e.value().contains(datasetId) && !e.value().contains(firstVersion), Duration.ofMinutes(2),
                e -> e.topic().equals(Topics.dlq(Topics.DATASET_INGESTED))).value(), DatasetCleaned.class);
        ObjectLayout layout = new ObjectLayout(tenant);
        String splits = String.join("", ObjectLayout.SPLITS.stream()
                .map(s -> store.getString(layout.split(datasetId, next.version(), s))).toList());
        assertTrue(splits.contains("fills it with the next row id"), "the corrected answer is an example of version "
                + next.version());
    }

    private JsonNode chat(String base, String model) throws Exception {
        HttpResponse<String> res = send("POST", base + "/v1/chat/completions", Map.of("model", model,
                "max_tokens", 8, "temperature", 0, "messages", List.of(Map.of("role", "user", "content", QUESTION))));
        assertEquals(200, res.statusCode(), res::body);
        return Json.mapper().readTree(res.body());
    }

    private HttpResponse<String> send(String method, String url, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitDeployment(String base, String alias, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> res = send("GET", base + "/v1/deployments/" + alias, null);
            last = res.statusCode() + " " + res.body();
            if (res.statusCode() == 200 && ok.test(Json.mapper().readTree(res.body()))) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("deployment " + alias + " on " + base + " never became what was expected: " + last);
    }

    private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(what + ": not within 30 s");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
