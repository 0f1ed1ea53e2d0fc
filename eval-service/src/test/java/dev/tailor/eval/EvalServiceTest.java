package dev.tailor.eval;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.testkit.HostileText;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.AuditEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eval service against the real broker and S3: model.trained in → report in S3 → model.evaluated (inference
 * deploys a promoted model). The tuned models are an adapter trained here on the test data (it must win) and the
 * fixture's random adapter.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class EvalServiceTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");
    private static final String BASE = "tiny-llama";
    private static final Path FIXTURE = Path.of("src/test/resources/tiny-llama");
    private static final String DATASET = "eval-ds";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static ObjectStore store;
    private static KafkaTestClient kafka;
    private static List<String> lines;

    @BeforeAll
    static void setUp() throws Exception {
        store = TailorInfraResource.objectStore();
        store.ensureBucket();
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(LAYOUT.baseModel(BASE) + file, Files.readAllBytes(FIXTURE.resolve(file)),
                    "application/octet-stream");
        }
        String[][] qa = {{"hi", "hello there"}, {"2+2?", "four"}, {"sky?", "blue sky"}, {"cat?", "meow meow"}};
        lines = new ArrayList<>();
        for (String[] p : qa) {
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"" + p[0] + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"" + p[1] + "\"}],"
                    + "\"source\":{\"file\":\"faq.jsonl\",\"kind\":\"faq\"},\"metadata\":{\"product\":\""
                    + (p[0].length() > 3 ? "animals" : "math") + "\"}}");
        }
        // longer than the fixture's 128-position context: scored cut to it, left out of the samples
        lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "why? ".repeat(30) + "\"},"
                + "{\"role\":\"assistant\",\"content\":\"" + "because ".repeat(10) + "\"}]}");
        store.putString(LAYOUT.split(DATASET, "v1", "test"), String.join("\n", lines) + "\n", "application/x-ndjson");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    private static ModelTrained trained(String modelId) {
        return ModelTrained.create("default", modelId, "job-" + modelId, DATASET, "v1", BASE,
                store.uri(LAYOUT.tunedModel(modelId)), store.uri(LAYOUT.split(DATASET, "v1", "test")), 1.0, 1.0);
    }

    @Test
    void anAdapterThatLearnedTheDataIsPromotedAndDeployed() throws Exception {
        String modelId = "ft-learned-" + UUID.randomUUID().toString().substring(0, 8);
        Path out = Files.createTempDirectory("eval-train");
        List<ChatExample> examples = lines.stream().map(ChatExample::fromJson).toList();
        TrainingParams cfg = TrainingParams.builder().loraRank(8).loraAlpha(16).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ, Projection.V_PROJ).epochs(1).maxSteps(40).learningRate(1e-2)
                .batchSize(4).gradientAccumulation(1).maxSeqLength(64).warmupRatio(0.0).scheduler("constant")
                .weightDecay(0.0).maxGradNorm(1.0).seed(7).evalEvery(0).earlyStoppingPatience(0).packing(false).build();
        try (LanguageModel base = LanguageModel.load(FIXTURE)) {
            FineTune.run(base, examples, List.of(), cfg, RunOptions.to(out).withCheckpointEvery(0));
        }
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            store.putBytes(LAYOUT.tunedModel(modelId) + file, Files.readAllBytes(out.resolve(file)),
                    "application/octet-stream");
        }
        // the job's own gate (job-level settings travel with model.trained): loss and ROUGE-L, no forgetting check
        ObjectNode settings = (ObjectNode) Json.mapper().readTree("{\"gate\": {\"loss\": {\"minRelativeImprovement\": "
                + "0.02}, \"metrics\": [{\"metric\": \"rouge_l\", \"on\": \"mean\"}]}, \"slices\": [\"product\"], "
                + "\"generation\": {\"maxNewTokens\": 12}}");
        kafka.sendEvent(trained(modelId).withJob(null, null, settings));

        ModelEvaluated evaluated = kafka.awaitEvent(Topics.MODEL_EVALUATED, ModelEvaluated.class,
                e -> modelId.equals(e.modelId()), TIMEOUT);
        assertEquals("PROMOTE", evaluated.verdict(), evaluated.reason());
        assertTrue(evaluated.tunedLoss() < evaluated.baseLoss() * 0.98, evaluated.toString());
        assertEquals(store.uri(LAYOUT.evalReport(modelId, "json")), evaluated.report());
        assertEquals(modelId, evaluated.evaluationId());
        assertEquals("http://127.0.0.1:8084/v1/evaluations/" + modelId + "/report.html", evaluated.reportUrl());
        assertTrue(evaluated.reason().contains("ROUGE-L gain"), evaluated.reason());

        JsonNode report = Json.read(store.getBytes(LAYOUT.evalReport(modelId, "json")), JsonNode.class);
        assertEquals(5, report.path("examples").asInt());
        assertEquals(4, report.path("generated").asInt(), "the fifth prompt fills the model's context");
        assertEquals(12, report.at("/settings/generation/maxNewTokens").asInt());
        List<String> metrics = new ArrayList<>();
        report.path("metrics").forEach(m -> metrics.add(m.path("metric").asText()));
        assertEquals(List.of("exact_match", "token_f1", "rouge_l", "chrf", "embedding_cosine", "answer_loss"),
                metrics);
        JsonNode rouge = report.path("metrics").get(2).path("comparison");
        assertTrue(rouge.path("meanGain").asDouble() > 0, rouge.toString());
        assertEquals(10_000, report.at("/settings/metrics/resamples").asInt());
        assertTrue(rouge.at("/interval/lower").asDouble() <= rouge.path("meanGain").asDouble());
        assertTrue(report.path("metrics").get(0).path("comparison").has("mcnemar"), "exact match has McNemar's test");
        assertEquals("ROUGE-L gain", report.at("/gate/verdict/deciding/name").asText());
        assertTrue(report.at("/generalPerplexity/base").asDouble() > 1, "general-text perplexity of both models");
        assertEquals(5, report.path("results").size());
        assertTrue(report.path("slices").toString().contains("\"by\":\"product\""), "the named metadata slice");
        assertTrue(report.path("largestGains").size() > 0, report.path("largestGains").toString());
        String html = store.getString(LAYOUT.evalReport(modelId, "html"));
        assertTrue(html.contains("PROMOTE") && html.contains("<svg") && html.contains("Lineage"), html);
        assertTrue(store.exists(ObjectLayout.manifest("default/evals/" + modelId + "/")));

        // the report over the API: only for the model's tenant, only with a reading role
        String viewer = TestIssuer.shared().token("default", "viewer@default", Roles.VIEWER);
        given().auth().oauth2(viewer).get("/v1/evaluations/" + modelId).then().statusCode(200)
                .body("verdict", equalTo("PROMOTE")).body("modelId", equalTo(modelId));
        given().get("/v1/evaluations/" + modelId).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestIssuer.shared().token("default", "bot", Roles.INFERENCE_CLIENT))
                .get("/v1/evaluations/" + modelId).then().statusCode(403);
        given().auth().oauth2(TestIssuer.shared().token("other", "viewer@other", Roles.ADMIN))
                .get("/v1/evaluations/" + modelId).then().statusCode(404).contentType("application/problem+json");
        given().get("/q/metrics").then().statusCode(401);
    }

    /**
     * An adapter that added terms of the data as tokens is evaluated with its own tokenizer, and its answer loss per
     * token of the base's tokenizer (nats per answer compare across tokenizers, token counts do not).
     */
    @Test
    void anAdapterWithItsOwnVocabularyIsScoredWithItsTokenizerPerBaseToken() throws Exception {
        String modelId = "ft-vocab-" + UUID.randomUUID().toString().substring(0, 8);
        Path out = Files.createTempDirectory("eval-vocab");
        List<ChatExample> examples = lines.stream().map(ChatExample::fromJson).toList();
        TrainingParams cfg = TrainingParams.defaults().with(Json.mapper().readTree("""
                {"lora": {"rank": 4, "alpha": 8, "dropout": 0}, "optimizer": {"learningRate": 0.01},
                 "schedule": {"maxSteps": 4, "warmupRatio": 0, "scheduler": "constant"},
                 "data": {"batchSize": 4, "maxSeqLength": 64}, "evaluation": {"evalEvery": 0},
                 "vocabulary": {"extend": true, "terms": ["hello", "meow", "because"]}}"""));
        try (LanguageModel base = LanguageModel.load(FIXTURE)) {
            FineTune.run(base, examples, List.of(), cfg, RunOptions.to(out).withCheckpointEvery(0));
        }
        try (var files = Files.list(out)) { // every file of the output, as the worker uploads it
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                store.putBytes(LAYOUT.tunedModel(modelId) + f.getFileName(), Files.readAllBytes(f),
                        "application/octet-stream");
            }
        }
        kafka.sendEvent(trained(modelId));
        ModelEvaluated evaluated = kafka.awaitEvent(Topics.MODEL_EVALUATED, ModelEvaluated.class,
                e -> modelId.equals(e.modelId()), TIMEOUT);

        double sum = 0;
        double baseSum = 0;
        long baseTokens = 0;
        try (LanguageModel local = LanguageModel.load(FIXTURE)) {
            local.loadAdapter("vocab", out);
            int[] hello = local.tokenizer("vocab").encode("hello", false);
            assertEquals(1, hello.length, "the term is one token for the adapter");
            List<LanguageModel.ExampleLoss> tuned = local.answerLosses(examples, "vocab", 128);
            List<LanguageModel.ExampleLoss> base = local.answerLosses(examples, null, 128);
            for (int i = 0; i < examples.size(); i++) {
                assertTrue(tuned.get(i).tokens() < base.get(i).tokens() || !lines.get(i).matches(
                        ".*(hello|meow|because).*"), "example " + i + " holds a term: fewer tokens for the adapter");
                sum += tuned.get(i).sum();
                baseSum += base.get(i).sum();
                baseTokens += base.get(i).tokens();
            }
        }
        assertEquals(baseSum / baseTokens, evaluated.baseLoss(), 1e-4);
        assertEquals(sum / baseTokens, evaluated.tunedLoss(), 1e-4, "nats of the adapter's answers per base token");
    }

    @Test
    void aModelOfAnotherTenantIsEvaluatedInItsPrefixAndForeignSplitsAreRefused() throws Exception {
        String tenant = "acme-eval";
        ObjectLayout acme = new ObjectLayout(tenant);
        String modelId = "ft-acme-" + UUID.randomUUID().toString().substring(0, 8);
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(acme.baseModel(BASE) + file, Files.readAllBytes(FIXTURE.resolve(file)),
                    "application/octet-stream");
        }
        store.copy(LAYOUT.split(DATASET, "v1", "test"), acme.split(DATASET, "v1", "test"));
        store.putBytes(acme.tunedModel(modelId) + "config.json", Files.readAllBytes(FIXTURE.resolve("config.json")),
                "application/json");
        for (String file : List.of("model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(acme.tunedModel(modelId) + file, Files.readAllBytes(FIXTURE.resolve(file)),
                    "application/octet-stream");
        }
        kafka.sendEvent(ModelTrained.create(tenant, modelId, "job-" + modelId, DATASET, "v1", BASE,
                store.uri(acme.tunedModel(modelId)), store.uri(acme.split(DATASET, "v1", "test")), 1.0, 1.0)
                .withPrincipal("alice@acme"));
        ModelEvaluated evaluated = kafka.awaitEvent(Topics.MODEL_EVALUATED, ModelEvaluated.class,
                e -> modelId.equals(e.modelId()), TIMEOUT);
        assertEquals(tenant, evaluated.tenant());
        assertEquals("alice@acme", evaluated.principal());
        assertTrue(store.exists(acme.evalReport(modelId, "json")), "the report lies in the tenant's prefix");
        assertTrue(!store.exists(LAYOUT.evalReport(modelId, "json")));

        String thief = "ft-thief-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendEvent(ModelTrained.create(tenant, thief, "job-" + thief, DATASET, "v1", BASE,
                store.uri(acme.tunedModel(modelId)), store.uri(LAYOUT.split(DATASET, "v1", "test")), 1.0, 1.0));
        var dead = kafka.await(Topics.dlq(Topics.MODEL_TRAINED), r -> r.value().contains(thief), TIMEOUT);
        assertTrue(new String(dead.headers().lastHeader("dead-letter-reason").value()).contains("outside tenant"));
        assertTrue(!store.exists(acme.evalReport(thief, "json")));
    }

    /**
     * A test split whose questions and answers are template syntax, special-token strings and odd characters is
     * scored and sampled like any other: every example counts, and the samples show the contents unchanged.
     */
    @Test
    void hostileContentsAreEvaluatedAsText() throws Exception {
        String dataset = "eval-hostile";
        List<String> contents = HostileText.all();
        List<String> hostile = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            hostile.add(Json.write(java.util.Map.of("messages", List.of(
                    java.util.Map.of("role", "user", "content", contents.get(i)),
                    java.util.Map.of("role", "assistant", "content", contents.get((i + 1) % contents.size()))))));
        }
        store.putString(LAYOUT.split(dataset, "v1", "test"), String.join("\n", hostile) + "\n",
                "application/x-ndjson");
        String modelId = "ft-hostile-" + UUID.randomUUID().toString().substring(0, 8);
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            store.putBytes(LAYOUT.tunedModel(modelId) + file,
                    Files.readAllBytes(Path.of("src/test/resources/tiny-llama-adapter", file)), "application/octet-stream");
        }
        kafka.sendEvent(ModelTrained.create("default", modelId, "job-" + modelId, dataset, "v1", BASE,
                store.uri(LAYOUT.tunedModel(modelId)), store.uri(LAYOUT.split(dataset, "v1", "test")), 1.0, 1.0));
        ModelEvaluated evaluated = kafka.awaitEvent(Topics.MODEL_EVALUATED, ModelEvaluated.class,
                e -> modelId.equals(e.modelId()), TIMEOUT);
        assertTrue(Double.isFinite(evaluated.baseLoss()) && Double.isFinite(evaluated.tunedLoss()), evaluated.toString());
        JsonNode report = Json.read(store.getBytes(LAYOUT.evalReport(modelId, "json")), JsonNode.class);
        assertEquals(contents.size(), report.path("examples").asInt());
        assertTrue(report.path("generated").asInt() > 0, report.toString());
        for (JsonNode row : report.path("results")) {
            assertTrue(contents.contains(row.path("question").asText()), row.toString());
            assertTrue(contents.contains(row.path("reference").asText()), row.toString());
        }
        String html = store.getString(LAYOUT.evalReport(modelId, "html"));
        assertTrue(!html.contains("<script") && !html.contains("{{ 7*7 }}<"), "contents are escaped text");
    }

    @Test
    void aModelThatCannotBeEvaluatedGoesToTheDeadLetterTopic() {
        String modelId = "ft-missing-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendEvent(trained(modelId)); // no adapter in S3
        kafka.await(Topics.dlq(Topics.MODEL_TRAINED), r -> modelId.equals(r.key()), TIMEOUT);
        assertTrue(!store.exists(LAYOUT.evalReport(modelId, "json")));
    }

    @Test
    void verdictFollowsTheNumbersAndRedeliveryOnlyRepublishes() throws Exception {
        String modelId = "ft-random-" + UUID.randomUUID().toString().substring(0, 8);
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors")) {
            store.putBytes(LAYOUT.tunedModel(modelId) + file,
                    Files.readAllBytes(Path.of("src/test/resources/tiny-llama-adapter", file)), "application/octet-stream");
        }
        kafka.sendEvent(trained(modelId));
        ModelEvaluated first = kafka.awaitEvent(Topics.MODEL_EVALUATED, ModelEvaluated.class,
                e -> modelId.equals(e.modelId()), TIMEOUT);
        // the careful default gate: every condition is in the report, and the verdict is PROMOTE exactly when all
        // passed; the deciding condition is named in the reason with its numbers
        JsonNode report = Json.read(store.getBytes(LAYOUT.evalReport(modelId, "json")), JsonNode.class);
        JsonNode conditions = report.at("/gate/verdict/conditions");
        List<String> names = new ArrayList<>();
        boolean all = true;
        for (JsonNode c : conditions) {
            names.add(c.path("name").asText());
            all &= c.path("passed").asBoolean();
        }
        assertEquals(List.of("test loss", "ROUGE-L gain", "general-text perplexity"), names);
        assertEquals(all ? "PROMOTE" : "REJECT", first.verdict(), first.reason());
        assertTrue(first.reason().contains(report.at("/gate/verdict/deciding/detail").asText()), first.reason());
        boolean lossImproved = first.tunedLoss() < first.baseLoss();
        assertEquals(lossImproved, conditions.get(0).path("passed").asBoolean());
        Instant written = store.stat(LAYOUT.evalReport(modelId, "json")).orElseThrow().lastModified();

        kafka.sendEvent(trained(modelId));
        Awaitility.await().atMost(TIMEOUT).until(() -> kafka.readAll(Topics.MODEL_EVALUATED, Duration.ofMillis(500))
                .stream().filter(r -> modelId.equals(r.key())).count() >= 2);
        assertEquals(written, store.stat(LAYOUT.evalReport(modelId, "json")).orElseThrow().lastModified(),
                "the report is not recomputed on redelivery");
    }
}
