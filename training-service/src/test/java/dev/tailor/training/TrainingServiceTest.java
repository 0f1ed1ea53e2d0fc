package dev.tailor.training;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.HostileText;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.AuditEvent;
import io.restassured.RestAssured;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The training service against the real broker and S3 of the testkit, with the tiny-llama fixture as base model:
 * REST validation, a LoRA job in its own worker JVM, progress events, the PEFT output in S3, model.trained,
 * idempotent resubmission, auto-training from dataset.cleaned, and cancellation.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class TrainingServiceTest {
    private static final ObjectLayout LAYOUT = new ObjectLayout("default");
    private static final String BASE = "tiny-llama";
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
    private static final String DATASET = "ds-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String VERSION = "v1";

    private static KafkaTestClient kafka;
    private static ObjectStore store;

    @BeforeAll
    static void uploadBaseModelAndDataset() throws Exception {
        // every request of these tests is a trainer of tenant "default", with a token of the test issuer
        RestAssured.authentication = RestAssured.oauth2(TestIssuer.shared().token("default", "trainer@default",
                Roles.TRAINER));
        store = TailorInfraResource.objectStore();
        store.ensureBucket();
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(LAYOUT.baseModel(BASE) + file,
                    Files.readAllBytes(Path.of("src/test/resources/tiny-llama", file)), "application/octet-stream");
        }
        uploadDataset(DATASET, VERSION);
    }

    @AfterAll
    static void close() {
        kafka.close();
        RestAssured.authentication = RestAssured.DEFAULT_AUTH;
    }

    /** Another tenant's base model and dataset: the same service trains for it, in its own prefix. */
    static void uploadFor(String tenant, String datasetId) throws Exception {
        ObjectLayout layout = new ObjectLayout(tenant);
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(layout.baseModel(BASE) + file,
                    Files.readAllBytes(Path.of("src/test/resources/tiny-llama", file)), "application/octet-stream");
        }
        for (String split : ObjectLayout.SPLITS) {
            store.copy(LAYOUT.split(DATASET, VERSION, split), layout.split(datasetId, VERSION, split));
        }
    }

    @Test
    void everyEndpointNeedsCredentialsTheRightRoleAndTheSameTenant() throws Exception {
        String job = "job-0000000000000000";
        for (String[] e : List.of(new String[] {"POST", "/v1/training-jobs"}, new String[] {"GET", "/v1/training-jobs"},
                new String[] {"GET", "/v1/training-jobs/" + job}, new String[] {"DELETE", "/v1/training-jobs/" + job})) {
            given().auth().none().contentType(ContentType.JSON).body("{}").request(e[0], e[1]).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        }
        given().auth().none().get("/q/metrics").then().statusCode(401);
        given().auth().none().get("/q/health/ready").then().statusCode(200);
        String viewer = TestIssuer.shared().token("default", "viewer@default", Roles.VIEWER);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{\"datasetId\":\"" + DATASET + "\"}")
                .post("/v1/training-jobs").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(viewer).get("/v1/training-jobs").then().statusCode(200);

        // the same service trains for a second tenant, in its prefix; a tenant with a quota of one job gets 429
        String tenant = "acme-train";
        String dataset = "ds-acme";
        uploadFor(tenant, dataset);
        String acme = TestIssuer.shared().token(tenant, "trainer@acme", Roles.TRAINER);
        Response running = given().auth().oauth2(acme).contentType(ContentType.JSON).body("{\"datasetId\":\"" + dataset
                + "\",\"baseModel\":\"" + BASE + "\",\"params\":{\"maxSteps\":100000,\"batchSize\":2,"
                + "\"maxSeqLength\":64,\"evalEvery\":0}}").post("/v1/training-jobs");
        running.then().statusCode(202);
        String acmeJob = running.path("jobId");
        given().auth().oauth2(acme).contentType(ContentType.JSON).body("{\"datasetId\":\"" + dataset + "\",\"baseModel\":\""
                + BASE + "\",\"params\":{\"maxSteps\":2}}").post("/v1/training-jobs").then().statusCode(429)
                .header("Retry-After", equalTo("60")).body("detail", containsString("tailor.quotas.training-jobs"));

        // another tenant's job is not found, not listed, not cancellable
        given().get("/v1/training-jobs/" + acmeJob).then().statusCode(404);
        given().delete("/v1/training-jobs/" + acmeJob).then().statusCode(404);
        given().get("/v1/training-jobs").then().statusCode(200).body("jobId", not(hasItem(acmeJob)));
        given().auth().oauth2(acme).get("/v1/training-jobs/" + acmeJob).then().statusCode(200)
                .body("datasetId", equalTo(dataset));
        given().auth().oauth2(acme).delete("/v1/training-jobs/" + acmeJob).then().statusCode(202);
        awaitState(acme, acmeJob, "CANCELLED");
        AuditEvent cancelled = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, a -> a.resourceId().equals(acmeJob)
                && a.action().equals(AuditEvent.TRAINING_CANCELLED), Duration.ofSeconds(30));
        assertEquals("trainer@acme", cancelled.actor());

        // an event of one tenant that names another tenant's splits is refused (dead letter), nothing is trained
        String stolen = "steal-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendEvent(TrainingRequested.create(tenant, stolen, DATASET, VERSION, BASE, TrainingParams.defaults(),
                store.uri(LAYOUT.split(DATASET, VERSION, "train")), store.uri(LAYOUT.split(DATASET, VERSION, "validation")),
                store.uri(LAYOUT.split(DATASET, VERSION, "test"))));
        var dead = kafka.await(Topics.dlq(Topics.TRAINING_REQUESTED), r -> stolen.equals(r.key()), Duration.ofSeconds(60));
        assertTrue(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)
                .contains("outside tenant"));
    }

    private static void awaitState(String token, String jobId, String state) {
        Awaitility.await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
                state.equals(given().auth().oauth2(token).get("/v1/training-jobs/" + jobId).path("state")));
    }

    /** Short chat examples (the fixture's context is 128 byte-level tokens). */
    static void uploadDataset(String datasetId, String version) {
        String[][] qa = {{"hi", "hello"}, {"2+2?", "4"}, {"sky?", "blue"}, {"cat?", "meow"}, {"dog?", "woof"},
                {"sun?", "hot"}, {"ice?", "cold"}, {"yes?", "no"}};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String[] p = qa[i % qa.length];
            lines.add("{\"messages\":[{\"role\":\"user\",\"content\":\"" + p[0] + "\"},"
                    + "{\"role\":\"assistant\",\"content\":\"" + p[1] + "\"}]}");
        }
        String all = String.join("\n", lines) + "\n";
        String few = String.join("\n", lines.subList(0, 4)) + "\n";
        store.putString(LAYOUT.split(datasetId, version, "train"), all, "application/x-ndjson");
        store.putString(LAYOUT.split(datasetId, version, "validation"), few, "application/x-ndjson");
        store.putString(LAYOUT.split(datasetId, version, "test"), few, "application/x-ndjson");
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/training-jobs");
    }

    @Test
    void badRequestsAreRefusedBeforeAnyCompute() {
        post("{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\"" + BASE + "\",\"params\":{\"loraRank\":0}}")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("params.loraRank")).body("detail", containsString("between 1 and 256"));
        post("{\"datasetId\":\"" + DATASET + "\",\"params\":{\"learning_rate\":0.1}}")
                .then().statusCode(400).body("field", equalTo("params.learning_rate"));
        post("{\"datasetId\":\"no-such-dataset\",\"baseModel\":\"" + BASE + "\"}")
                .then().statusCode(404).contentType("application/problem+json").body("field", equalTo("datasetId"));
        post("{\"datasetId\":\"" + DATASET + "\",\"datasetVersion\":\"v9\"}")
                .then().statusCode(404).body("field", equalTo("datasetVersion"));
        post("{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\"no-such-model\"}")
                .then().statusCode(422).body("field", equalTo("baseModel"));
        post("{\"baseModel\":\"" + BASE + "\"}").then().statusCode(400).body("field", equalTo("datasetId"));
        post("not json").then().statusCode(400).contentType("application/problem+json");
        given().get("/v1/training-jobs/job-0000000000000000").then().statusCode(404);
    }

    @Test
    void loraJobWritesPeftAdapterPublishesProgressAndModelTrained() {
        String body = "{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\"" + BASE + "\",\"params\":"
                + "{\"maxSteps\":6,\"batchSize\":4,\"maxSeqLength\":64,\"evalEvery\":3,\"loraRank\":4}}";
        Response created = post(body);
        created.then().statusCode(202).body("jobId", notNullValue()).body("modelId", notNullValue())
                .body("statusUrl", containsString("/v1/training-jobs/"))
                .body("job.preflight.totalSteps", equalTo(6))
                .body("job.preflight.estimatedMemoryBytes", greaterThan(0));
        String jobId = created.path("jobId");
        String modelId = created.path("modelId");

        awaitState(jobId, "SUCCEEDED");
        given().get("/v1/training-jobs/" + jobId).then().body("step", equalTo(6))
                .body("adapter", equalTo(store.uri(LAYOUT.tunedModel(modelId))));

        String prefix = LAYOUT.tunedModel(modelId);
        for (String file : List.of("adapter_config.json", "adapter_model.safetensors", "training.json",
                "metrics.jsonl", "manifest.json", "job.json")) {
            assertTrue(store.exists(prefix + file), "missing " + prefix + file);
        }
        JsonNode adapterConfig = Json.read(store.getBytes(prefix + "adapter_config.json"), JsonNode.class);
        assertEquals("LORA", adapterConfig.path("peft_type").asText());
        assertEquals(4, adapterConfig.path("r").asInt());
        assertEquals(BASE, adapterConfig.path("base_model_name_or_path").asText());
        List<String> kept = store.list(prefix + "checkpoints/").stream().map(o -> o.key())
                .filter(k -> k.endsWith("trainer_state.json")).toList();
        // checkpoints are mirrored to S3; after success only the newest stays (%test keep-checkpoints=1)
        assertEquals(1, kept.size(), "kept checkpoints: " + kept);
        assertEquals(1, store.list(prefix + "checkpoints/").stream()
                .map(o -> o.key().substring((prefix + "checkpoints/").length()).split("/")[0]).distinct().count());
        assertEquals(6, store.getString(prefix + "metrics.jsonl").lines().filter(l -> !l.isBlank()).count());

        List<TrainingProgress> progress = kafka.readAll(Topics.TRAINING_PROGRESS, Duration.ofSeconds(3)).stream()
                .filter(r -> jobId.equals(r.key())).map(r -> Json.read(r.value(), TrainingProgress.class)).toList();
        Set<String> states = progress.stream().map(TrainingProgress::state).collect(Collectors.toSet());
        assertTrue(states.containsAll(Set.of("QUEUED", "RUNNING", "SUCCEEDED")), states.toString());
        assertTrue(progress.stream().anyMatch(p -> p.step() == 6 && p.loss() != null), "per-step loss");
        assertTrue(progress.stream().anyMatch(p -> p.validationLoss() != null), "validation loss");

        ModelTrained trained = kafka.awaitEvent(Topics.MODEL_TRAINED, ModelTrained.class,
                e -> modelId.equals(e.modelId()), Duration.ofSeconds(30));
        assertEquals(jobId, trained.jobId());
        assertEquals(store.uri(prefix), trained.adapter());
        assertEquals(store.uri(LAYOUT.split(DATASET, VERSION, "test")), trained.testSplit());
        assertTrue(trained.trainLoss() != null && trained.trainLoss() > 0);
        var headers = kafka.await(Topics.MODEL_TRAINED, r -> modelId.equals(r.key()), Duration.ofSeconds(5)).headers();
        var header = headers.lastHeader("ce_type");
        assertTrue(header != null, "CloudEvents headers on model.trained");
        assertEquals("dev.tailor.model.trained", new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("urn:tailor:training-service",
                new String(headers.lastHeader("ce_source").value(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(trained.eventId(),
                new String(headers.lastHeader("ce_id").value(), java.nio.charset.StandardCharsets.UTF_8));

        // the same request again: no second job, the finished output is announced again
        post(body).then().statusCode(200).body("jobId", equalTo(jobId)).body("state", equalTo("SUCCEEDED"))
                .body("created", equalTo(false));
        // a finished job cannot be cancelled: 409, as a problem naming its state
        given().delete("/v1/training-jobs/" + jobId).then().statusCode(409)
                .contentType(org.hamcrest.Matchers.containsString("application/problem+json"))
                .body("detail", org.hamcrest.Matchers.containsString("SUCCEEDED"));
        kafka.awaitCount(Topics.MODEL_TRAINED, 1, Duration.ofSeconds(5));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> kafka.readAll(Topics.MODEL_TRAINED,
                Duration.ofMillis(500)).stream().filter(r -> modelId.equals(r.key())).count() >= 2);
    }

    /**
     * A sweep of two learning rates: two candidate jobs, run one after another, each announced as a sweep candidate
     * (eval promotes only the best); then one candidate trained further on the same data as a parent model, whose
     * adapter shape it keeps and whose lineage it carries.
     */
    @Test
    void aSweepTrainsEveryCandidateAndAModelTrainsFurtherFromItsParent() throws Exception {
        String dataset = "sweep-" + UUID.randomUUID().toString().substring(0, 8);
        uploadDataset(dataset, VERSION);
        String body = "{\"datasetId\":\"" + dataset + "\",\"baseModel\":\"" + BASE + "\",\"params\":{\"maxSteps\":3,"
                + "\"batchSize\":4,\"maxSeqLength\":64,\"evalEvery\":0,\"loraRank\":4},\"sweep\":{\"learningRate\":"
                + "[0.001,0.01]},\"evaluation\":{\"gate\":{\"loss\":{}}}}";
        Response created = post(body);
        created.then().statusCode(202).body("candidates", equalTo(2)).body("jobs", hasSize(2))
                .body("sweepId", org.hamcrest.Matchers.startsWith("sw-"));
        String sweepId = created.path("sweepId");
        List<String> models = created.path("jobs.modelId");
        for (int i = 0; i < 2; i++) {
            String model = models.get(i);
            int index = i;
            ModelTrained trained = kafka.awaitEvent(Topics.MODEL_TRAINED, ModelTrained.class,
                    e -> model.equals(e.modelId()), JOB_TIMEOUT);
            assertEquals(sweepId, trained.sweep().sweepId());
            assertEquals(index, trained.sweep().index());
            assertEquals(2, trained.sweep().candidates());
            assertEquals("{\"gate\":{\"loss\":{}}}", trained.evaluation().toString());
        }
        double lr0 = Json.read(store.getBytes(ObjectLayout.trainingSummary(LAYOUT.tunedModel(models.get(0)))),
                JsonNode.class).at("/params/optimizer/learningRate").asDouble();
        assertEquals(0.001, lr0, 1e-12);
        post(body).then().statusCode(200).body("sweepId", equalTo(sweepId));
        post("{\"datasetId\":\"" + dataset + "\",\"sweep\":{\"learningRate\":[0.001]}}").then().statusCode(400)
                .body("field", equalTo("sweep"));
        post("{\"datasetId\":\"" + dataset + "\",\"sweep\":{\"loraRank\":[0,4]}}").then().statusCode(400)
                .body("field", containsString("sweep."));

        // train the first candidate further: rank 8 asked, the parent's rank 4 kept
        String child = "{\"datasetId\":\"" + dataset + "\",\"baseModel\":\"" + BASE + "\",\"parentModel\":\""
                + models.get(0) + "\",\"params\":{\"maxSteps\":2,\"batchSize\":4,\"maxSeqLength\":64,\"evalEvery\":0,"
                + "\"loraRank\":8}}";
        Response continued = post(child);
        continued.then().statusCode(202);
        String childModel = continued.path("modelId");
        ModelTrained trained = kafka.awaitEvent(Topics.MODEL_TRAINED, ModelTrained.class,
                e -> childModel.equals(e.modelId()), JOB_TIMEOUT);
        assertEquals(models.get(0), trained.parentModel());
        String prefix = LAYOUT.tunedModel(childModel);
        assertEquals(4, Json.read(store.getBytes(prefix + "adapter_config.json"), JsonNode.class).path("r").asInt());
        assertEquals(models.get(0), Json.read(store.getBytes(ObjectLayout.trainingSummary(prefix)), JsonNode.class)
                .path("parentModel").asText());
        assertEquals(store.uri(LAYOUT.tunedModel(models.get(0))), Json.read(store.getBytes(
                ObjectLayout.manifest(prefix)), JsonNode.class).at("/inputs/parentModel").asText());
        post(child.replace(models.get(0), "ft-none")).then().statusCode(404).body("field", equalTo("parentModel"));
        assertEquals("trainer@default", trained.principal(), "the caller, carried into model.trained");

        // another tenant with the same dataset id cannot continue from this tenant's model: it is unknown there
        String other = "parent-" + UUID.randomUUID().toString().substring(0, 6);
        uploadFor(other, dataset);
        String otherTrainer = TestIssuer.shared().token(other, "trainer@other", Roles.TRAINER);
        given().auth().oauth2(otherTrainer).contentType(ContentType.JSON).body(child)
                .post("/v1/training-jobs?dryRun=true").then().statusCode(404).body("field", equalTo("parentModel"));
        given().auth().oauth2(otherTrainer).contentType(ContentType.JSON).body(child).post("/v1/training-jobs").then()
                .statusCode(404).body("field", equalTo("parentModel"));
        given().auth().oauth2(TestIssuer.shared().token("default", "viewer@default", Roles.VIEWER))
                .contentType(ContentType.JSON).body(child).post("/v1/training-jobs?dryRun=true").then().statusCode(403);
    }

    @Test
    void autoTrainOnDatasetCleanedRunsOnceAndCancelStopsAJob() {
        String dataset = "auto-" + UUID.randomUUID().toString().substring(0, 8);
        uploadDataset(dataset, VERSION);
        // the upload's manifest asks for auto-training on the base model (what ingest writes; cleaning passes only
        // its URI on)
        String upload = ObjectLayout.manifest(LAYOUT.rawPrefix(dataset));
        store.putJson(upload, Manifest.of("ingest-service", "default").dataset(dataset, null)
                .training(new TrainingOptions(true, BASE, null)).build());
        DatasetCleaned cleaned = DatasetCleaned.create("default", dataset, VERSION,
                store.uri(LAYOUT.split(dataset, VERSION, "train")), store.uri(LAYOUT.split(dataset, VERSION, "validation")),
                store.uri(LAYOUT.split(dataset, VERSION, "test")), store.uri(LAYOUT.report(dataset, VERSION)),
                16, 4, 4, store.uri(upload));
        kafka.sendEvent(cleaned);
        kafka.sendEvent(cleaned); // redelivery: must not start a second job
        ModelTrained trained = kafka.awaitEvent(Topics.MODEL_TRAINED, ModelTrained.class,
                e -> dataset.equals(e.datasetId()), JOB_TIMEOUT);
        String jobId = trained.jobId();
        // one path: auto-training requested the job on training.requested, with the splits of the event
        TrainingRequested requested = kafka.awaitEvent(Topics.TRAINING_REQUESTED, TrainingRequested.class,
                r -> jobId.equals(r.jobId()), Duration.ofSeconds(5));
        assertEquals(dataset, requested.datasetId());
        assertEquals(cleaned.train(), requested.train());
        long started = kafka.readAll(Topics.TRAINING_PROGRESS, Duration.ofSeconds(2)).stream()
                .filter(r -> jobId.equals(r.key()))
                .map(r -> Json.read(r.value(), TrainingProgress.class))
                .filter(p -> p.state().equals("QUEUED")).count();
        assertEquals(1, started, "one job for a redelivered dataset.cleaned");

        // a long job, cancelled while it runs
        Response created = post("{\"datasetId\":\"" + dataset + "\",\"baseModel\":\"" + BASE + "\",\"params\":"
                + "{\"maxSteps\":100000,\"batchSize\":2,\"maxSeqLength\":64,\"evalEvery\":0}}");
        created.then().statusCode(202);
        String longJob = created.path("jobId");
        Awaitility.await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() ->
                given().get("/v1/training-jobs/" + longJob).path("step") instanceof Integer s && s > 0);
        given().delete("/v1/training-jobs/" + longJob).then().statusCode(202);
        awaitState(longJob, "CANCELLED");
        kafka.awaitEvent(Topics.TRAINING_PROGRESS, TrainingProgress.class,
                p -> longJob.equals(p.jobId()) && p.state().equals("CANCELLED"), Duration.ofSeconds(30));
    }

    @Test
    void trainingRequestedEventsStartJobsAndUnplannableOnesGoToTheDeadLetterTopic() {
        String jobId = "req-" + UUID.randomUUID().toString().substring(0, 8);
        TrainingParams params = TrainingParams.builder().loraRank(2).loraAlpha(4).loraDropout(0.0)
                .targetModules(Projection.Q_PROJ).epochs(1).maxSteps(3).learningRate(1e-3).batchSize(4)
                .gradientAccumulation(1).maxSeqLength(64).warmupRatio(0.0).scheduler("constant").weightDecay(0.0)
                .maxGradNorm(1.0).seed(3).evalEvery(0).earlyStoppingPatience(0).packing(false).build();
        kafka.sendEvent(TrainingRequested.create("default", jobId, DATASET, VERSION, BASE, params));
        ModelTrained trained = kafka.awaitEvent(Topics.MODEL_TRAINED, ModelTrained.class,
                e -> jobId.equals(e.jobId()), JOB_TIMEOUT);
        assertEquals(DATASET, trained.datasetId());
        given().get("/v1/training-jobs/" + jobId).then().statusCode(200).body("state", equalTo("SUCCEEDED"));

        String badJob = "req-bad-" + UUID.randomUUID().toString().substring(0, 8);
        kafka.sendEvent(TrainingRequested.create("default", badJob, "no-such-dataset", null, BASE, params));
        kafka.await(Topics.dlq(Topics.TRAINING_REQUESTED), r -> badJob.equals(r.key()), Duration.ofSeconds(60));
    }

    /** The fixture as another base model whose tokenizer_config.json carries {@code chatTemplate}. */
    private static void uploadBaseWithTemplate(String name, String chatTemplate) throws Exception {
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            store.putBytes(LAYOUT.baseModel(name) + file,
                    Files.readAllBytes(Path.of("src/test/resources/tiny-llama", file)), "application/octet-stream");
        }
        com.fasterxml.jackson.databind.node.ObjectNode config = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.read(Files.readAllBytes(Path.of("src/test/resources/tiny-llama/tokenizer_config.json")),
                        JsonNode.class);
        config.put("chat_template", chatTemplate);
        store.putBytes(LAYOUT.baseModel(name) + "tokenizer_config.json", Json.mapper().writeValueAsBytes(config),
                "application/json");
    }

    /**
     * Contents full of template syntax, special-token strings and odd characters train like any text: the job
     * succeeds and no example is left out (before, {@code {{a,foo},{b,bar}}} failed the job in the worker).
     */
    @Test
    void hostileContentsTrainLikeAnyText() throws Exception {
        String dataset = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> contents = HostileText.all();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            lines.add(Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", contents.get(i)),
                    Map.of("role", "assistant", "content", contents.get((i + 1) % contents.size()))))));
        }
        store.putString(LAYOUT.split(dataset, VERSION, "train"), String.join("\n", lines) + "\n",
                "application/x-ndjson");
        store.putString(LAYOUT.split(dataset, VERSION, "validation"), String.join("\n", lines.subList(0, 4)) + "\n",
                "application/x-ndjson");
        store.putString(LAYOUT.split(dataset, VERSION, "test"), lines.get(4) + "\n", "application/x-ndjson");
        Response created = post("{\"datasetId\":\"" + dataset + "\",\"baseModel\":\"" + BASE + "\",\"params\":"
                + "{\"maxSteps\":3,\"batchSize\":4,\"maxSeqLength\":128,\"evalEvery\":0}}");
        // no example refused or cut; the one warning says the split is small
        created.then().statusCode(202).body("job.preflight.warnings", org.hamcrest.Matchers.everyItem(
                startsWith("the train split has only " + contents.size() + " examples")));
        String jobId = created.path("jobId");
        awaitState(jobId, "SUCCEEDED");
        JsonNode summary = Json.read(store.getBytes(LAYOUT.tunedModel(created.path("modelId")) + "training.json"),
                JsonNode.class);
        assertEquals(contents.size(), summary.path("result").path("trainExamples").asInt(), summary.toString());
        assertEquals(0, summary.path("result").path("skippedExamples").asInt(), summary.toString());
    }

    /**
     * The chat template of the base model runs in preflight: a broken template or one that refuses every example
     * is a 422 naming the model and template line before any compute; one that refuses some is a warning.
     */
    @Test
    void preflightRunsTheChatTemplateOfTheBaseModel() throws Exception {
        uploadBaseWithTemplate("tiny-broken", "{% for m in messages %}\n{% if %}{{ m.content }}{% endif %}"
                + "{% endfor %}");
        post("{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\"tiny-broken\"}").then().statusCode(422)
                .contentType("application/problem+json").body("field", equalTo("baseModel"))
                .body("detail", containsString("tiny-broken")).body("detail", containsString("line 2"));
        uploadBaseWithTemplate("tiny-strict", "{{ raise_exception('This model only takes system messages') }}");
        post("{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\"tiny-strict\"}").then().statusCode(422)
                .body("detail", containsString("only takes system messages"));
        uploadBaseWithTemplate("tiny-picky", "{% for m in messages %}{% if m.content == 'meow' %}"
                + "{{ raise_exception('no cats') }}{% endif %}<s>{{ m.role }}\n{{ m.content }}</s>\n{% endfor %}");
        post("{\"datasetId\":\"" + DATASET + "\",\"baseModel\":\"tiny-picky\",\"params\":{\"maxSteps\":1,"
                + "\"maxSeqLength\":8}}").then().statusCode(202)
                .body("job.preflight.warnings", hasItem(containsString("2 of 16 examples checked are refused")))
                .body("job.preflight.warnings", hasItem(containsString("exceed maxSeqLength 8 tokens; median")));
    }

    private static void awaitState(String jobId, String state) {
        Awaitility.await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            String s = given().get("/v1/training-jobs/" + jobId).path("state");
            if ("FAILED".equals(s) && !"FAILED".equals(state)) {
                throw new AssertionError("job failed: " + given().get("/v1/training-jobs/" + jobId).asString());
            }
            return state.equals(s);
        });
    }
}
