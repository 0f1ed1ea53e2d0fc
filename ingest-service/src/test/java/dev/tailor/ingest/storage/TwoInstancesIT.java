package dev.tailor.ingest.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import dev.tailor.localstack.ServiceProcess;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import dev.tailor.common.auth.Roles;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two ingest instances (the packaged service, as two processes on one broker and one S3) keep the status of one
 * dataset. Each reads every event in a consumer group of its own, so every update is written twice, by two writers
 * racing on the same dataset: the worst case for a status that is read, changed and written back. None of the
 * updates may be lost, and both instances answer the same status.
 */
class TwoInstancesIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @Test
    void twoInstancesRecordEveryUpdateOfOneDataset() throws Exception {
        String tenant = "two-" + UUID.randomUUID().toString().substring(0, 8);
        Path logs = Path.of("target/two-instances");
        try (Instances both = Instances.start(logs);
             KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            ServiceProcess a = both.a();
            ServiceProcess b = both.b();
            String id;
            try (InputStream in = getClass().getResourceAsStream("/data/support-faq-40.jsonl")) {
                HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(a.baseUri().resolve("/v1/datasets?name=faq"))
                        .header("Authorization", "Bearer " + token(tenant)).header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(in.readAllBytes())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, up.statusCode(), up.body());
                id = Json.mapper().readTree(up.body()).path("datasetId").asText();
            }
            String base = "s3://tailor/" + tenant + "/datasets/" + id + "/v1/";
            String model = "m-" + id;
            String adapter = "s3://tailor/" + tenant + "/models/tuned/" + model + "/";
            TrainingProgress.Job job = new TrainingProgress.Job("job-" + id, id, "v1", model);
            // a burst of every kind of update, as fast as the producer sends them
            kafka.sendEvent(DatasetCleaned.create(tenant, id, "v1", base + "train.jsonl", base + "validation.jsonl",
                    base + "test.jsonl", base + "report.json", 30, 5, 5, null));
            kafka.sendEvent(TrainingRequested.create(tenant, job.jobId(), id, "v1", "tiny", TrainingParams.defaults()));
            for (int step = 1; step <= 10; step++) {
                kafka.sendEvent(TrainingProgress.create(tenant, job, "RUNNING", step, 10, 0, 2.0, null, null, null,
                        null, null));
            }
            kafka.sendEvent(TrainingProgress.create(tenant, job, "SUCCEEDED", 10, 10, 0, 1.9, 2.0, null, null, 0.0, null));
            kafka.sendEvent(ModelTrained.create(tenant, model, job.jobId(), id, "v1", "tiny", adapter, base + "test.jsonl",
                    1.9, 2.0));
            ModelEvaluated evaluated = ModelEvaluated.create(tenant, model, id, "tiny", adapter,
                    "s3://tailor/" + tenant + "/evals/" + model + "/report.json", 3.0, 2.0, "PROMOTE", "better");
            kafka.sendEvent(evaluated);
            for (String topic : List.of(Topics.DATASET_INGESTED, Topics.TRAINING_REQUESTED, Topics.MODEL_EVALUATED)) {
                ProducerRecord<String, String> dead = new ProducerRecord<>(Topics.dlq(topic), id,
                        Json.write(Map.of("tenant", tenant, "datasetId", id, "eventId", UUID.randomUUID().toString())));
                dead.headers().add("dead-letter-reason", ("failed on " + topic).getBytes(StandardCharsets.UTF_8));
                kafka.send(dead);
            }
            Predicate<JsonNode> complete = s -> s.path("errors").size() == 3
                    && "DONE".equals(s.at("/stages/evaluated/state").asText())
                    && "10".equals(s.at("/stages/training/details/step").asText());
            JsonNode fromA = awaitStatus(a, tenant, id, complete);
            JsonNode fromB = awaitStatus(b, tenant, id, complete);
            // a deployment names only its model: the link written with model.trained leads it to the dataset
            kafka.sendEvent(ModelDeployment.create(tenant, "latest", model, "tiny", adapter, true));
            Predicate<JsonNode> deployed = s -> "DONE".equals(s.at("/stages/deployed/state").asText());
            fromA = awaitStatus(a, tenant, id, deployed);
            fromB = awaitStatus(b, tenant, id, deployed);
            for (JsonNode status : List.of(fromA, fromB)) {
                for (String stage : List.of("ingested", "cleaned", "training", "trained", "evaluated", "deployed")) {
                    assertEquals("DONE", status.at("/stages/" + stage + "/state").asText(), stage + " in " + status);
                }
                assertEquals(3, status.path("errors").size(), status.toString());
                assertEquals(job.jobId(), status.at("/stages/training/details/jobId").asText());
                assertTrue(status.at("/stages/ingested/details/records").asInt() == 40, status.toString());
            }
            assertEquals(fromA, fromB, "both instances answer the same status");
        }
    }

    /**
     * The two instances, started at the same time and stopped at the same time (an ingest instance takes seconds to
     * start and about ten to stop, closing its Kafka consumers one after the other).
     */
    private record Instances(ServiceProcess a, ServiceProcess b) implements AutoCloseable {
        static Instances start(Path logs) throws Exception {
            CompletableFuture<ServiceProcess> a = starting("a", logs);
            CompletableFuture<ServiceProcess> b = starting("b", logs);
            try {
                return new Instances(a.get(), b.get());
            } catch (ExecutionException e) {
                for (CompletableFuture<ServiceProcess> starting : List.of(a, b)) { // stop the one that did start
                    ServiceProcess started = starting.handle((p, failure) -> p).get();
                    if (started != null) {
                        started.close();
                    }
                }
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }

        private static CompletableFuture<ServiceProcess> starting(String name, Path logs) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return TwoInstancesIT.start(name, logs);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
        }

        @Override
        public void close() {
            CompletableFuture<Void> stopA = CompletableFuture.runAsync(a::close);
            b.close();
            stopA.join();
        }
    }

    private static ServiceProcess start(String name, Path logs) throws Exception {
        Map<String, String> props = new LinkedHashMap<>(TailorInfraResource.processConfig());
        for (String channel : List.of("status-dataset-cleaned", "status-training-requested", "status-training-progress",
                "status-model-trained", "status-model-evaluated", "status-model-deployments")) {
            props.put("mp.messaging.incoming." + channel + ".group.id", "tailor-ingest-status-" + name);
        }
        props.put("mp.messaging.incoming.pipeline-errors.group.id", "tailor-ingest-errors-" + name);
        return ServiceProcess.builder(JAR.toAbsolutePath()).name("ingest-" + name)
                .jvmArgs(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
                .systemProperties(props).env(TailorInfraResource.credentialsEnv()).logTo(logs.resolve("ingest-" + name + ".log")).httpPort(freePort())
                .readyTimeout(Duration.ofMinutes(2)).start();
    }

    private static JsonNode awaitStatus(ServiceProcess ingest, String tenant, String id, Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(ingest.baseUri().resolve("/v1/datasets/" + id))
                    .header("Authorization", "Bearer " + token(tenant)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 200) {
                last = Json.mapper().readTree(res.body());
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(300);
        }
        throw new AssertionError("status of " + id + " on " + ingest.baseUri() + " never complete; last: " + last);
    }

    private static String token(String tenant) {
        return TestIssuer.shared().token(tenant, "editor@" + tenant, Roles.DATA_EDITOR);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
