package dev.tailor.ingest.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.IngestRequested;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TestIssuer;
import io.restassured.specification.RequestSpecification;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uploads over HTTP into the real S3, events on the real broker, status from the later stages' events. */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class IngestServiceTest {
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
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A request of a data editor of {@code tenant}, with a token of the test issuer. */
    static RequestSpecification as(String tenant) {
        return given().auth().oauth2(TestIssuer.shared().token(tenant, "editor@" + tenant, Roles.DATA_EDITOR));
    }

    static byte[] realData() throws IOException {
        try (InputStream in = IngestServiceTest.class.getResourceAsStream("/data/support-faq-40.jsonl")) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void rawUploadIsStoredAnnouncedAndRecognizedWhenRepeated() throws Exception {
        String tenant = tenant();
        store.putString(ObjectLayout.modelConfig(new ObjectLayout(tenant).baseModel("tiny-llama")), "{}", "application/json");
        byte[] data = (new String(realData(), StandardCharsets.UTF_8) + "{\"messages\": [\n").getBytes(StandardCharsets.UTF_8);
        Response r = as(tenant).contentType("application/x-ndjson").body(data)
                .queryParam("name", "support").queryParam("autoTrain", true).queryParam("baseModel", "tiny-llama")
                .queryParam("filename", "support.jsonl")
                .post("/v1/datasets");
        r.then().statusCode(202).header("Location", containsString("/v1/datasets/ds-"))
                .body("records", equalTo(40)).body("rejectedRecords", equalTo(1)).body("format", equalTo("jsonl"))
                .body("problems[0].line", equalTo(41)).body("duplicate", equalTo(false));
        String id = r.jsonPath().getString("datasetId");
        assertEquals("/v1/datasets/" + id, r.jsonPath().getString("status"));
        assertEquals(sha256(data), r.jsonPath().getString("contentSha256"));

        ObjectLayout layout = new ObjectLayout(tenant);
        assertArrayEquals(data, store.getBytes(layout.raw(id, "support.jsonl")));
        Manifest manifest = store.getJson(ObjectLayout.manifest(layout.rawPrefix(id)), Manifest.class);
        assertEquals("support", manifest.details().get("name"));
        assertEquals(40, manifest.count("records"));
        assertEquals(data.length, manifest.count("bytes"));
        assertEquals(sha256(data), manifest.details().get("contentSha256"));
        // what the upload asks of training goes with the upload, for training: cleaning never sees it
        assertEquals(new TrainingOptions(true, "tiny-llama", null), manifest.training());

        ConsumerRecord<String, String> rec = kafka.await(Topics.DATASET_INGESTED, x -> id.equals(x.key()), Duration.ofSeconds(30));
        DatasetIngested event = Json.read(rec.value(), DatasetIngested.class);
        assertEquals(tenant, event.tenant());
        assertEquals(store.uri(layout.rawPrefix(id)), event.rawPrefix());
        assertEquals(store.uri(ObjectLayout.manifest(layout.rawPrefix(id))), event.manifest());
        assertEquals(event.eventId(), new String(rec.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
        assertNotNull(rec.headers().lastHeader("ce_type"));

        as(tenant).get("/v1/datasets/" + id).then().statusCode(200)
                .body("stages.ingested.state", equalTo("DONE")).body("stages.cleaned.state", equalTo("RUNNING"))
                .body("stages.ingested.outputs.raw", equalTo(event.rawPrefix()));

        // the same bytes again: the existing dataset, no new event
        as(tenant).contentType("application/jsonl").body(data).post("/v1/datasets")
                .then().statusCode(200).body("datasetId", equalTo(id)).body("duplicate", equalTo(true));
        List<ConsumerRecord<String, String>> all = kafka.readAll(Topics.DATASET_INGESTED, Duration.ofSeconds(3));
        assertEquals(1, all.stream().filter(x -> id.equals(x.key())).count());
        assertEquals(2, store.list(layout.rawPrefix(id)).size(), "raw file + manifest only");
    }

    @Test
    void multipartUploadWithCleaningSettings() throws Exception {
        String tenant = tenant();
        as(tenant).multiPart("file", "faq.jsonl", realData(), "application/octet-stream")
                .multiPart("name", "faq").multiPart("cleaning", "{\"systemPrompt\":\"You are SQLite support.\"}")
                .post("/v1/datasets").then().statusCode(202).body("records", equalTo(40)).body("name", equalTo("faq"))
                .body("file", equalTo("faq.jsonl"));
        byte[] mbox;
        try (InputStream in = IngestServiceTest.class.getResourceAsStream("/data/ilug-threads.mbox")) {
            mbox = in.readAllBytes();
        }
        as(tenant).multiPart("file", "ilug.mbox", mbox, "application/mbox")
                .post("/v1/datasets").then().statusCode(202).body("records", equalTo(3)).body("format", equalTo("mbox"));
        as(tenant).multiPart("file", "faq2.jsonl", "{\"q\":\"x\"}\n".getBytes(), "application/octet-stream")
                .multiPart("cleaning", "{\"trainRatio\": 2}").post("/v1/datasets").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("ratios"));
    }

    @Test
    void aNewVersionOfADatasetKeepsItsIdAndSettings() throws Exception {
        String tenant = tenant();
        String[] lines = new String(realData(), StandardCharsets.UTF_8).split("\n");
        byte[] first = (String.join("\n", java.util.Arrays.copyOfRange(lines, 0, 30)) + "\n").getBytes(StandardCharsets.UTF_8);
        String cleaning = "{\"systemPrompt\":\"You are SQLite support.\"}";
        String id = as(tenant).multiPart("file", "faq.jsonl", first, "application/octet-stream")
                .multiPart("cleaning", cleaning).post("/v1/datasets").then().statusCode(202).extract().jsonPath().getString("datasetId");

        Response v2 = as(tenant).contentType("application/x-ndjson").body(realData())
                .queryParam("filename", "faq.jsonl").post("/v1/datasets/" + id + "/versions");
        v2.then().statusCode(202).header("Location", containsString("/v1/datasets/" + id)).body("datasetId", equalTo(id))
                .body("records", equalTo(40));
        ObjectLayout layout = new ObjectLayout(tenant);
        String raw = v2.jsonPath().getString("raw");
        assertTrue(raw.startsWith(store.uri(layout.rawPrefix(id) + ObjectLayout.RAW_VERSIONS)), raw);
        String prefix = store.keyOf(raw);
        assertArrayEquals(realData(), store.getBytes(prefix + "faq.jsonl"));
        assertEquals(cleaning, store.getString(ObjectLayout.cleaningConfig(prefix)), "the version keeps the dataset's settings");
        DatasetIngested event = kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class,
                e -> e.datasetId().equals(id) && e.rawPrefix().equals(raw), Duration.ofSeconds(30));
        assertEquals(40, event.records());

        // multipart, with settings of its own for this version
        byte[] third = (String.join("\n", java.util.Arrays.copyOfRange(lines, 10, 40)) + "\n").getBytes(StandardCharsets.UTF_8);
        String own = "{\"systemPrompt\":\"You are SQLite and Linux support.\"}";
        String raw3 = as(tenant).multiPart("file", "faq-3.jsonl", third, "application/octet-stream")
                .multiPart("cleaning", own).post("/v1/datasets/" + id + "/versions").then().statusCode(202)
                .body("datasetId", equalTo(id)).body("records", equalTo(30)).extract().jsonPath().getString("raw");
        assertEquals(own, store.getString(ObjectLayout.cleaningConfig(store.keyOf(raw3))));
        as(tenant).multiPart("file", "faq-4.jsonl", third, "application/octet-stream")
                .multiPart("cleaning", "{\"testRatio\": 2}").post("/v1/datasets/" + id + "/versions").then().statusCode(400)
                .contentType("application/problem+json");

        as(tenant).contentType("application/x-ndjson").body(realData())
                .post("/v1/datasets/ds-nosuchdataset/versions").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("POST /v1/datasets"));
        assertTrue(store.list(layout.rawPrefix("ds-nosuchdataset")).isEmpty(), "nothing stored for an unknown dataset");
    }

    /**
     * Feedback from production (what inference's feedback collector leaves under feedback/{datasetId}/pending/) goes
     * into the dataset's next version as one more input file, and each example into one version only.
     */
    @Test
    void aNewVersionTakesTheFeedbackWaitingForItsDataset() throws Exception {
        String tenant = tenant();
        String[] lines = new String(realData(), StandardCharsets.UTF_8).split("\n");
        byte[] first = (String.join("\n", java.util.Arrays.copyOfRange(lines, 0, 20)) + "\n").getBytes(StandardCharsets.UTF_8);
        String id = as(tenant).contentType("application/x-ndjson").body(first)
                .queryParam("filename", "faq.jsonl").post("/v1/datasets").then().statusCode(202).body("records", equalTo(20))
                .extract().jsonPath().getString("datasetId");
        ObjectLayout layout = new ObjectLayout(tenant);
        String corrected = "{\"messages\":[{\"role\":\"user\",\"content\":\"How do I reset my password?\"},{\"role\":"
                + "\"assistant\",\"content\":\"Open Settings, then Security, then Reset.\"}],\"source\":\"feedback\","
                + "\"review\":\"pending\",\"completionId\":\"chatcmpl-1\",\"rating\":2,\"corrected\":true}\n";
        String wellRated = "{\"messages\":[{\"role\":\"user\",\"content\":\"Where are the logs?\"},{\"role\":"
                + "\"assistant\",\"content\":\"Under /var/log.\"}],\"source\":\"feedback\",\"review\":\"pending\","
                + "\"completionId\":\"chatcmpl-2\",\"rating\":5,\"corrected\":false}\n";
        store.putString(layout.feedbackExample(id, "chatcmpl-1"), corrected, "application/x-ndjson");
        store.putString(layout.feedbackExample(id, "chatcmpl-2"), wellRated, "application/x-ndjson");

        byte[] second = (String.join("\n", java.util.Arrays.copyOfRange(lines, 20, 30)) + "\n").getBytes(StandardCharsets.UTF_8);
        Response v2 = as(tenant).contentType("application/x-ndjson").body(second)
                .queryParam("filename", "faq.jsonl").post("/v1/datasets/" + id + "/versions");
        v2.then().statusCode(202).body("feedbackExamples", equalTo(2)).body("records", equalTo(12));
        String prefix = store.keyOf(v2.jsonPath().getString("raw"));
        assertEquals(corrected + wellRated, store.getString(prefix + "feedback/examples.jsonl"));
        Manifest manifest = store.getJson(ObjectLayout.manifest(prefix), Manifest.class);
        JsonNode files = Json.mapper().valueToTree(manifest).at("/details/files");
        assertEquals("feedback", files.get(1).path("source").asText(), files.toString());
        assertEquals("pending", files.get(1).path("review").asText(), files.toString());
        assertTrue(store.list(layout.feedbackPending(id)).isEmpty(), "the examples are no longer pending");
        String uploadId = prefix.substring(prefix.lastIndexOf('/', prefix.length() - 2) + 1, prefix.length() - 1);
        assertEquals(corrected, store.getString(layout.feedbackCollected(id, uploadId) + "chatcmpl-1.jsonl"),
                "what a version took is kept with its upload id");
        DatasetIngested event = kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class,
                e -> e.datasetId().equals(id) && e.rawPrefix().equals(v2.jsonPath().getString("raw")), Duration.ofSeconds(30));
        assertEquals(12, event.records());

        byte[] third = (String.join("\n", java.util.Arrays.copyOfRange(lines, 30, 35)) + "\n").getBytes(StandardCharsets.UTF_8);
        as(tenant).contentType("application/x-ndjson").body(third)
                .queryParam("filename", "faq.jsonl").post("/v1/datasets/" + id + "/versions").then().statusCode(202)
                .body("records", equalTo(5)).body("feedbackExamples", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void parquetUploadIsAcceptedAndCounted() throws Exception {
        String tenant = tenant();
        org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
                "message faq { required binary question (STRING); required binary answer (STRING); }");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("faq-", ".parquet");
        java.nio.file.Files.delete(file);
        var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
        try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(new org.apache.parquet.io.LocalOutputFile(file))
                .withType(schema).build()) {
            for (String line : new String(realData(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode n = Json.mapper().readTree(line);
                w.write(groups.newGroup().append("question", n.at("/messages/0/content").asText())
                        .append("answer", n.at("/messages/1/content").asText()));
            }
        }
        byte[] data = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.delete(file);
        as(tenant).multiPart("file", "faq.parquet", data, "application/vnd.apache.parquet")
                .post("/v1/datasets").then().statusCode(202).body("records", equalTo(40)).body("format", equalTo("parquet"));
    }

    @Test
    void badUploadsGetProblemsAndLeaveNothingBehind() throws Exception {
        String tenant = tenant();
        as(tenant).contentType("application/x-ndjson").body(new byte[0]).post("/v1/datasets")
                .then().statusCode(400).contentType("application/problem+json").body("title", equalTo("Empty upload"));
        byte[] parquet = "PAR1\u0015\u0000\u0015".getBytes(StandardCharsets.ISO_8859_1);
        as(tenant).contentType("application/octet-stream").body(parquet)
                .queryParam("filename", "export.parquet").post("/v1/datasets")
                .then().statusCode(422).contentType("application/problem+json").body("file", equalTo("export.parquet"))
                .body("problems[0].rule", equalTo("malformed-parquet"))
                .body("problems[0].reason", containsString("'export.parquet' is not a readable Parquet file"));
        byte[] pdf = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1);
        as(tenant).contentType("application/pdf").body(pdf)
                .queryParam("filename", "broken.pdf").post("/v1/datasets")
                .then().statusCode(422).contentType("application/problem+json").body("problems[0].rule", equalTo("malformed-document"));
        as(tenant).contentType("application/x-ndjson")
                .body("{\"messages\": [{\"role\": \"user\"\n{\"ticket\": \"VPN down\", \"fix\": \"restart\"}\n".getBytes(StandardCharsets.UTF_8))
                .queryParam("filename", "broken.jsonl").post("/v1/datasets")
                .then().statusCode(422).contentType("application/problem+json").body("file", equalTo("broken.jsonl"))
                .body("line", equalTo(1)).body("problems[1].line", equalTo(2))
                .body("problems[1].reason", containsString("fieldMapping"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0};
        as(tenant).contentType("image/png").body(png).post("/v1/datasets")
                .then().statusCode(415).contentType("application/problem+json");
        byte[] big = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        as(tenant).contentType("text/plain").body(big).post("/v1/datasets")
                .then().statusCode(413).contentType("application/problem+json").body("limit", equalTo(4194304));
        as(tenant).get("/v1/datasets/ds-nope").then().statusCode(404)
                .contentType("application/problem+json");
        assertEquals(List.of(), store.list(tenant + "/"), "a failed upload leaves no objects");
    }

    /** The real records over and over, each made unique by a number, until there are {@code chars} characters. */
    static byte[] numberedLines(int chars) throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] lines = new String(realData(), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; sb.length() < chars; i++) {
            sb.append(lines[i % lines.length], 0, lines[i % lines.length].length() - 1).append(",\"n\":").append(i).append("}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void largeUploadIsStreamedIntact() throws Exception {
        byte[] data = numberedLines(3_000_000);
        String tenant = tenant();
        Response r = as(tenant).contentType("application/x-ndjson").body(data).post("/v1/datasets");
        r.then().statusCode(202);
        assertEquals(sha256(data), r.jsonPath().getString("contentSha256"));
        assertEquals(data.length, r.jsonPath().getLong("bytes"));
    }

    /**
     * A stream of unknown size over one S3 part (16 MiB; more than an upload may have in this test profile, so written
     * through the store as ingest writes uploads): stored in parts whose buffers grow as the data arrives, intact.
     */
    @Test
    void aStreamOfSeveralPartsIsStoredIntact() throws Exception {
        byte[] data = numberedLines(20_000_000);
        String key = new ObjectLayout(tenant()).raw("ds-parts", "big.jsonl");
        // a client that sends a little at a time, as a slow upload does
        InputStream trickle = new java.io.FilterInputStream(new java.io.ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 8192));
            }
        };
        store.put(key, trickle, -1, "application/x-ndjson");
        assertEquals(sha256(data), sha256(store.getBytes(key)));
        assertEquals(data.length, store.stat(key).orElseThrow().size());
    }

    @Test
    void statusFollowsTheLaterStagesAndTheirErrors() throws Exception {
        String tenant = tenant();
        String id = as(tenant).contentType("application/x-ndjson").body(realData())
                .post("/v1/datasets").then().statusCode(202).extract().jsonPath().getString("datasetId");
        String base = "s3://" + store.bucket() + "/" + tenant + "/datasets/" + id + "/v1/";
        kafka.sendEvent(DatasetCleaned.create(tenant, id, "v1", base + "train.jsonl", base + "validation.jsonl",
                base + "test.jsonl", base + "report.json", 30, 5, 5, null));
        String job = "job-" + id;
        kafka.sendEvent(TrainingRequested.create(tenant, job, id, "v1", "tiny-llama", TrainingParams.defaults()));
        awaitStatus(tenant, id, "stages.training.state", "QUEUED");
        String model = "m-" + id;
        kafka.sendEvent(TrainingProgress.create(tenant, new TrainingProgress.Job(job, id, "v1", model), "RUNNING", 5, 20,
                0, 2.5, null, 1e-3, 900.0, 30.0, null));
        awaitStatus(tenant, id, "stages.training.details.step", "5");
        String adapter = "s3://" + store.bucket() + "/" + tenant + "/models/tuned/" + model + "/";
        kafka.sendEvent(ModelTrained.create(tenant, model, job, id, "v1", "tiny-llama", adapter, base + "test.jsonl", 1.2, 1.4));
        kafka.sendEvent(ModelEvaluated.create(tenant, model, id, "tiny-llama", adapter, "s3://" + store.bucket() + "/" + tenant
                + "/evals/" + model + "/report.json", 2.9, 1.4, "PROMOTE", "tuned loss 1.40 < base 2.90"));
        awaitStatus(tenant, id, "stages.evaluated.details.verdict", "PROMOTE");
        // model.trained and model.evaluated are read by different consumers: either may be folded in first
        awaitStatus(tenant, id, "stages.trained.state", "DONE");
        as(tenant).get("/v1/datasets/" + id).then()
                .body("stages.cleaned.state", equalTo("DONE")).body("stages.cleaned.outputs.train", equalTo(base + "train.jsonl"))
                .body("stages.training.state", equalTo("DONE")).body("stages.trained.outputs.adapter", equalTo(adapter))
                .body("stages.deployed.state", equalTo("RUNNING"));

        // a dead-lettered record of this dataset shows up as an error of the stage that failed
        org.apache.kafka.clients.producer.ProducerRecord<String, String> dead = new org.apache.kafka.clients.producer.ProducerRecord<>(
                Topics.dlq(Topics.MODEL_EVALUATED), model, Json.write(ModelEvaluated.create(tenant, model, id, "tiny-llama",
                adapter, base + "r.json", 2.9, 1.4, "PROMOTE", "ok")));
        dead.headers().add("dead-letter-reason", "adapter could not be loaded".getBytes(StandardCharsets.UTF_8));
        kafka.send(dead);
        awaitStatus(tenant, id, "errors[0].stage", "deployed");
        as(tenant).get("/v1/datasets/" + id).then()
                .body("errors[0].message", equalTo("adapter could not be loaded")).body("state", equalTo("FAILED"));
        as(tenant).get("/v1/datasets").then().statusCode(200).body("[0].datasetId", equalTo(id));
    }

    @Test
    void ingestRequestedCopiesObjectsFromTheBucket() throws Exception {
        String tenant = tenant();
        String id = "ds-req-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] data = realData();
        store.putBytes(tenant + "/incoming/" + id + "/a.jsonl", data, "application/x-ndjson");
        kafka.sendEvent(IngestRequested.create(tenant, id, "from-s3", List.of("s3://" + store.bucket() + "/" + tenant
                + "/incoming/" + id + "/"), null, false, null));
        DatasetIngested e = kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class, x -> id.equals(x.datasetId()),
                Duration.ofSeconds(60));
        assertEquals(40, e.records());
        assertEquals(sha256(data), e.contentSha256());
        ObjectLayout layout = new ObjectLayout(tenant);
        assertTrue(store.list(layout.rawPrefix(id)).stream().anyMatch(o -> o.key().endsWith("a.jsonl")));
        as(tenant).get("/v1/datasets/" + id).then().statusCode(200)
                .body("stages.ingested.state", equalTo("DONE")).body("name", startsWith("from-s3"));

        // another request for the same dataset is its next version; the same request again only republishes
        byte[] next = java.util.Arrays.copyOf(data, data.length / 2);
        store.putBytes(tenant + "/incoming/" + id + "-2/b.jsonl", next, "application/x-ndjson");
        IngestRequested again = IngestRequested.create(tenant, id, "from-s3", List.of("s3://" + store.bucket() + "/" + tenant
                + "/incoming/" + id + "-2/b.jsonl"), null, false, null);
        kafka.sendEvent(again);
        String versionPrefix = store.uri(layout.rawVersionPrefix(id, "r-" + again.eventId()));
        DatasetIngested v2 = kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class,
                x -> id.equals(x.datasetId()) && x.rawPrefix().equals(versionPrefix), Duration.ofSeconds(60));
        assertEquals(sha256(next), v2.contentSha256());
        kafka.sendEvent(again);
        List<DatasetIngested> both = new java.util.ArrayList<>();
        kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class, x -> {
            if (id.equals(x.datasetId()) && x.rawPrefix().equals(versionPrefix)) {
                both.add(x);
            }
            return both.size() == 2;
        }, Duration.ofSeconds(60));
        assertEquals(v2.contentSha256(), both.get(1).contentSha256());
        assertEquals(2, store.list(store.keyOf(versionPrefix)).size(), "b.jsonl and the manifest, once");
    }

    @Test
    void healthIsOpenMetricsAndOpenApiNeedCredentials() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("s3"));
        given().get("/q/metrics").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        as(tenant()).get("/q/metrics").then().statusCode(200);
        as(tenant()).get("/q/openapi").then().statusCode(200).body(containsString("/v1/datasets"))
                .body(containsString("/v1/api-keys"));
    }

    static void awaitStatus(String tenant, String id, String path, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            Response r = as(tenant).get("/v1/datasets/" + id);
            Object v = r.statusCode() == 200 ? r.jsonPath().get(path) : null;
            last = String.valueOf(v);
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " of " + id + " is " + last + ", expected " + expected);
    }
}
