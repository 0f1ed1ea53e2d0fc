package dev.tailor.ingest.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: no reply contradicts what happens. With the real broker stalled (SIGSTOP) around the publish, an upload
 * is answered 202 (kept, its event stored with it in the outbox), nothing reaches the topic while the broker is
 * stalled, and exactly one {@code dataset.ingested} arrives once it goes on (SIGCONT); the outbox is then empty.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class BrokerStallUploadTest {

    private static byte[] data(String salt) throws IOException {
        try (InputStream in = BrokerStallUploadTest.class.getResourceAsStream("/data/support-faq-40.jsonl")) {
            return (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    + "{\"question\": \"What is " + salt + "?\", \"answer\": \"A salt that makes this upload new.\"}\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static Response upload(String tenant, byte[] body) {
        return given().auth().oauth2(TestIssuer.shared().token(tenant, "editor@" + tenant, Roles.DATA_EDITOR))
                .contentType("application/x-ndjson").queryParam("name", "support").queryParam("filename", "s.jsonl")
                .body(body).post("/v1/datasets");
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor());
    }

    @Test
    void anUploadDuringABrokerStallIsKeptAndAnnouncedExactlyOnceAfterIt() throws Exception {
        assumeTrue(TailorInfraResource.kafkaProcess().isPresent(), "faults are injected into the local broker only");
        long pid = TailorInfraResource.kafkaProcess().get().pid();
        String tenant = "o-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectStore store = TailorInfraResource.objectStore();
        upload(tenant, data("warm-up")).then().statusCode(202); // the producer knows the topic's partitions
        String datasetId;
        Response stalled;
        signal("STOP", pid);
        try {
            long start = System.nanoTime();
            stalled = upload(tenant, data(UUID.randomUUID().toString()));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(202, stalled.statusCode(), stalled.asString());
            assertTrue(ms < 30_000, "answered after " + ms + " ms");
            assertNotNull(stalled.jsonPath().getString("announcement"), stalled.asString());
            datasetId = stalled.jsonPath().getString("datasetId");
            ObjectLayout layout = new ObjectLayout(tenant);
            assertTrue(store.exists(ObjectLayout.manifest(layout.rawPrefix(datasetId))), "the upload is kept");
            assertEquals(1, store.list(ObjectLayout.outbox() + tenant + "/").size(), "its event is kept with it");
        } finally {
            signal("CONT", pid);
        }
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            kafka.awaitEvent(Topics.DATASET_INGESTED, DatasetIngested.class, e -> e.datasetId().equals(datasetId),
                    Duration.ofSeconds(120));
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!store.list(ObjectLayout.outbox() + tenant + "/").isEmpty() && System.nanoTime() < end) {
                Thread.sleep(250);
            }
            assertEquals(List.of(), store.list(ObjectLayout.outbox() + tenant + "/"), "the outbox is emptied");
            List<DatasetIngested> all = kafka.readAll(Topics.DATASET_INGESTED, Duration.ofSeconds(15)).stream()
                    .map(r -> Json.read(r.value(), DatasetIngested.class))
                    .filter(e -> e.datasetId().equals(datasetId)).toList();
            assertEquals(1, all.size(), "exactly one event: " + all);
        }
    }
}
