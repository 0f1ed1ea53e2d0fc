package dev.tailor.ingest.api;

import static dev.tailor.ingest.api.IngestServiceTest.as;
import static dev.tailor.ingest.api.IngestServiceTest.awaitStatus;
import static dev.tailor.ingest.api.IngestServiceTest.realData;
import static dev.tailor.ingest.api.IngestServiceTest.tenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dataset's lifecycle in ingest's API (issue 14): validation of the base model at the door, READY after cleaning
 * without autoTrain, a job started by hand under its dataset, versions, report, profile, and an erasure that marks
 * the models trained on the dataset.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class DatasetLifecycleTest {
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

    @Test
    void anUnknownBaseModelIsRefusedAtTheDoorNamingTheValidOnes() throws Exception {
        String tenant = tenant();
        ObjectLayout layout = new ObjectLayout(tenant);
        store.putString(ObjectLayout.modelConfig(layout.baseModel("tiny-qwen")), "{}", "application/json");
        as(tenant).contentType("application/x-ndjson").body(realData()).queryParam("baseModel", "gpt-9")
                .post("/v1/datasets").then().statusCode(422).contentType(containsString("application/problem+json"))
                .body("title", equalTo("Unknown base model")).body("validBaseModels", hasItem("tiny-qwen"))
                .body("detail", containsString("tiny-qwen"));
        as(tenant).multiPart("file", "d.jsonl", realData(), "application/x-ndjson").multiPart("baseModel", "gpt-9")
                .post("/v1/datasets").then().statusCode(422).body("baseModel", equalTo("gpt-9"));
        assertTrue(store.list(layout.root() + "raw/").isEmpty(), "nothing is stored for a refused upload");
        as(tenant).contentType("application/x-ndjson").body(realData()).queryParam("baseModel", "tiny-qwen")
                .queryParam("autoTrain", true).post("/v1/datasets").then().statusCode(202);
    }

    @Test
    void aDatasetWithoutAutoTrainIsReadyAndItsVersionsReportAndJobsAreListed() throws Exception {
        String tenant = tenant();
        String id = as(tenant).contentType("application/x-ndjson").body(realData()).post("/v1/datasets").then()
                .statusCode(202).extract().jsonPath().getString("datasetId");
        ObjectLayout layout = new ObjectLayout(tenant);
        String base = store.uri(layout.datasetPrefix(id, "v1"));
        store.putJson(layout.report(id, "v1"), Map.of("records", 40, "kept", 38, "counts", Map.of("dropped.exact", 2)));
        kafka.sendEvent(DatasetCleaned.create(tenant, id, "v1", base + "train.jsonl", base + "validation.jsonl",
                base + "test.jsonl", base + "report.json", 30, 4, 4, null));
        awaitStatus(tenant, id, "state", "READY");
        as(tenant).get("/v1/datasets/" + id).then().body("stages.cleaned.state", equalTo("DONE"))
                .body("stages.training.state", equalTo("PENDING"));
        as(tenant).get("/v1/datasets/" + id + "/versions").then().statusCode(200).body("[0].version", equalTo("v1"))
                .body("[0].counts.train", equalTo(30)).body("[0].outputs.report", equalTo(base + "report.json"));
        as(tenant).get("/v1/datasets/" + id + "/versions/v1/report").then().statusCode(200).body("kept", equalTo(38));
        as(tenant).get("/v1/datasets/" + id + "/versions/v9/report").then().statusCode(404)
                .body("title", equalTo("Unknown version")).body("versions", hasItem("v1"));
        as(tenant).get("/v1/datasets/" + id + "/versions/v1/profile").then().statusCode(404)
                .body("detail", containsString("/report"));
        store.putJson(layout.profile(id, "v1"), Map.of("overall", Map.of("records", 40)));
        as(tenant).get("/v1/datasets/" + id + "/versions/v1/profile").then().statusCode(200)
                .body("overall.records", equalTo(40));

        // a job started by hand shows under its dataset, as does its model
        String job = "job-" + id;
        String model = "m-" + id;
        kafka.sendEvent(TrainingRequested.create(tenant, job, id, "v1", "tiny-llama", TrainingParams.defaults()));
        awaitStatus(tenant, id, "stages.training.state", "QUEUED");
        as(tenant).get("/v1/datasets/" + id).then().body("state", equalTo("IN_PROGRESS"))
                .body("jobs[0].jobId", equalTo(job));
        String adapter = store.uri(layout.tunedModel(model));
        kafka.sendEvent(ModelTrained.create(tenant, model, job, id, "v1", "tiny-llama", adapter, base + "test.jsonl", 1.2, 1.4));
        awaitStatus(tenant, id, "jobs[0].modelId", model);

        // erasing the dataset deletes its objects and marks the model trained on it
        as(tenant).delete("/v1/datasets/" + id).then().statusCode(200).body("modelsToRetire[0].modelId", equalTo(model));
        as(tenant).get("/v1/datasets/" + id).then().statusCode(404);
        assertTrue(store.list(layout.datasetRoot(id)).isEmpty());
        assertTrue(store.list(layout.rawPrefix(id)).isEmpty());
        JsonNode mark = Json.read(store.getBytes(ObjectLayout.datasetErased(layout.tunedModel(model))), JsonNode.class);
        assertTrue(id.equals(mark.path("datasetId").asText()), mark.toString());
    }
}
