package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.Topics;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import dev.tailor.localstack.TopicTail;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The multi-tenant and security checks of {@link PipelineIT}, on the running stack. */
final class TenantChecks {
    private static final Pattern S3_URI = Pattern.compile("s3://tailor/([^/\"]+)/");

    private final LocalStack stack;
    private final ObjectStore store;
    private final HttpClient http;

    TenantChecks(LocalStack stack, ObjectStore store, HttpClient http) {
        this.stack = stack;
        this.store = store;
        this.http = http;
    }

    HttpResponse<String> call(TailorService service, String method, String path, String credential, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.url(service) + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", body != null && body.startsWith("{")
                        ? "application/json" : "application/x-ndjson");
        if (credential != null) {
            b.header("Authorization", "Bearer " + credential);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every endpoint of every service, as service, method, path. */
    static List<Object[]> endpoints() {
        List<Object[]> e = new ArrayList<>();
        for (String[] x : List.of(new String[] {"POST", "/v1/datasets"}, new String[] {"GET", "/v1/datasets"},
                new String[] {"GET", "/v1/datasets/ds-x"}, new String[] {"POST", "/v1/datasets/ds-x/versions"},
                new String[] {"DELETE", "/v1/datasets/ds-x"}, new String[] {"POST", "/v1/api-keys"},
                new String[] {"GET", "/v1/api-keys"}, new String[] {"DELETE", "/v1/api-keys/0123456789abcdef"})) {
            e.add(new Object[] {TailorService.INGEST, x[0], x[1]});
        }
        for (String[] x : List.of(new String[] {"POST", "/v1/training-jobs"},
                new String[] {"POST", "/v1/training-jobs?dryRun=true"}, new String[] {"GET", "/v1/training-jobs"},
                new String[] {"GET", "/v1/training-jobs/job-x"}, new String[] {"DELETE", "/v1/training-jobs/job-x"})) {
            e.add(new Object[] {TailorService.TRAINING, x[0], x[1]});
        }
        for (String[] x : List.of(new String[] {"POST", "/v1/evaluations"}, new String[] {"GET", "/v1/evaluations/ft-x"},
                new String[] {"GET", "/v1/evaluations?model=ft-x"}, new String[] {"GET", "/v1/evaluations/ft-x/report.json"},
                new String[] {"GET", "/v1/evaluations/ft-x/report.html"})) {
            e.add(new Object[] {TailorService.EVAL, x[0], x[1]});
        }
        for (String[] x : List.of(new String[] {"GET", "/v1/models"}, new String[] {"GET", "/v1/models/m"},
                new String[] {"POST", "/v1/chat/completions"}, new String[] {"POST", "/v1/completions"},
                new String[] {"GET", "/v1/deployments"}, new String[] {"GET", "/v1/deployments/bot"},
                new String[] {"PUT", "/v1/deployments/bot"}, new String[] {"POST", "/v1/deployments/bot/rollback"},
                new String[] {"DELETE", "/v1/deployments/bot"}, new String[] {"POST", "/v1/feedback"})) {
            e.add(new Object[] {TailorService.INFERENCE, x[0], x[1]});
        }
        for (TailorService s : TailorService.values()) {
            e.add(new Object[] {s, "GET", "/q/metrics"});
            e.add(new Object[] {s, "GET", "/q/openapi"});
        }
        return e;
    }

    void everyEndpointRefusesCallersWithoutCredentials() throws Exception {
        for (Object[] e : endpoints()) {
            TailorService s = (TailorService) e[0];
            for (String bad : new String[] {null, "tlr_0123456789abcdef_" + "A".repeat(43), "not-a-token"}) {
                HttpResponse<String> r = call(s, (String) e[1], (String) e[2], bad, "{}");
                assertEquals(401, r.statusCode(), () -> s + " " + e[1] + " " + e[2] + " answered " + r.body());
                if (((String) e[2]).startsWith("/v1")) {
                    JsonNode body = Json.mapper().readTree(r.body());
                    assertTrue(s == TailorService.INFERENCE ? body.path("error").has("message")
                            : body.path("status").asInt() == 401, () -> s + " " + e[2] + ": " + r.body());
                }
            }
            assertEquals(200, call(s, "GET", "/q/health/ready", null, null).statusCode(), "health stays open");
        }
    }

    void rolesAreChecked(String viewer, String inferenceClient, String datasetId) throws Exception {
        assertEquals(403, call(TailorService.INGEST, "POST", "/v1/datasets", viewer, "{\"text\":\"x\"}\n").statusCode());
        assertEquals(403, call(TailorService.TRAINING, "POST", "/v1/training-jobs", viewer, "{}").statusCode());
        assertEquals(403, call(TailorService.INGEST, "DELETE", "/v1/datasets/" + datasetId, viewer, null).statusCode());
        assertEquals(403, call(TailorService.INGEST, "GET", "/v1/api-keys", viewer, null).statusCode());
        assertEquals(403, call(TailorService.INGEST, "GET", "/v1/datasets", inferenceClient, null).statusCode());
        assertEquals(403, call(TailorService.EVAL, "GET", "/v1/evaluations/x", inferenceClient, null).statusCode());
        assertEquals(403, call(TailorService.EVAL, "POST", "/v1/evaluations", viewer, "{\"model\":\"ft-x\"}").statusCode());
        assertEquals(403, call(TailorService.TRAINING, "POST", "/v1/training-jobs?dryRun=true", viewer, "{}").statusCode());
        assertEquals(403, call(TailorService.INFERENCE, "POST", "/v1/chat/completions", viewer,
                "{\"model\":\"tailor-latest\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode());
    }

    /** Each tenant's ids, asked for with the other tenant's credentials, answer 404 on every service. */
    void neitherTenantSeesTheOther(String keyA, String tenantA, String datasetA, ModelEvaluated evalA, String tokenB,
                                   String tenantB, String datasetB, ModelEvaluated evalB, TopicLog log) throws Exception {
        record Side(String credential, String tenant, String dataset, ModelEvaluated eval) {
        }
        Side a = new Side(keyA, tenantA, datasetA, evalA);
        Side b = new Side(tokenB, tenantB, datasetB, evalB);
        for (Side[] pair : new Side[][] {{a, b}, {b, a}}) {
            Side me = pair[0];
            Side them = pair[1];
            String job = "job-" + them.eval().modelId().substring(3);
            assertEquals(404, call(TailorService.INGEST, "GET", "/v1/datasets/" + them.dataset(), me.credential(), null).statusCode());
            assertEquals(404, call(TailorService.INGEST, "POST", "/v1/datasets/" + them.dataset() + "/versions",
                    me.credential(), "{\"text\":\"planted\"}\n").statusCode());
            assertEquals(404, call(TailorService.INGEST, "DELETE", "/v1/datasets/" + them.dataset(), me.credential(), null).statusCode());
            assertFalse(call(TailorService.INGEST, "GET", "/v1/datasets", me.credential(), null).body().contains(them.dataset()));
            assertEquals(200, call(TailorService.TRAINING, "GET", "/v1/training-jobs/" + "job-" + me.eval().modelId().substring(3),
                    me.credential(), null).statusCode(), "own job found (its id derives from the model id)");
            assertEquals(404, call(TailorService.TRAINING, "GET", "/v1/training-jobs/" + job, me.credential(), null).statusCode());
            assertEquals(404, call(TailorService.TRAINING, "DELETE", "/v1/training-jobs/" + job, me.credential(), null).statusCode());
            assertFalse(call(TailorService.TRAINING, "GET", "/v1/training-jobs", me.credential(), null).body().contains(job));
            assertEquals(200, call(TailorService.EVAL, "GET", "/v1/evaluations/" + me.eval().modelId(), me.credential(), null).statusCode());
            assertEquals(404, call(TailorService.EVAL, "GET", "/v1/evaluations/" + them.eval().modelId(), me.credential(), null).statusCode());
            for (String part : List.of("/report.json", "/report.html")) {
                assertEquals(200, call(TailorService.EVAL, "GET", "/v1/evaluations/" + me.eval().modelId() + part,
                        me.credential(), null).statusCode(), part);
                assertEquals(404, call(TailorService.EVAL, "GET", "/v1/evaluations/" + them.eval().modelId() + part,
                        me.credential(), null).statusCode(), part);
            }
            assertTrue(call(TailorService.EVAL, "GET", "/v1/evaluations?model=" + me.eval().modelId(), me.credential(),
                    null).body().contains(me.eval().modelId()));
            assertEquals("[]", call(TailorService.EVAL, "GET", "/v1/evaluations?model=" + them.eval().modelId(),
                    me.credential(), null).body());
            assertEquals("[]", call(TailorService.EVAL, "GET", "/v1/evaluations?dataset=" + them.dataset(),
                    me.credential(), null).body());
            // the other tenant's model is unknown here: as the model, the baseline, or a parent to train on from
            HttpResponse<String> ask = call(TailorService.EVAL, "POST", "/v1/evaluations", me.credential(),
                    "{\"model\":\"" + them.eval().modelId() + "\"}");
            assertEquals(404, ask.statusCode(), ask.body());
            ask = call(TailorService.EVAL, "POST", "/v1/evaluations", me.credential(), "{\"model\":\""
                    + me.eval().modelId() + "\",\"baseline\":\"" + them.eval().modelId() + "\"}");
            assertEquals(404, ask.statusCode(), ask.body());
            HttpResponse<String> parent = call(TailorService.TRAINING, "POST", "/v1/training-jobs?dryRun=true",
                    me.credential(), "{\"datasetId\":\"" + me.dataset() + "\",\"parentModel\":\""
                            + them.eval().modelId() + "\"}");
            assertEquals(404, parent.statusCode(), parent.body());
            assertEquals(404, call(TailorService.TRAINING, "POST", "/v1/training-jobs?dryRun=true", me.credential(),
                    "{\"datasetId\":\"" + them.dataset() + "\"}").statusCode(), "another tenant's dataset");
            assertEquals(404, call(TailorService.INFERENCE, "GET", "/v1/models/" + them.eval().modelId(), me.credential(), null).statusCode());
            HttpResponse<String> chat = call(TailorService.INFERENCE, "POST", "/v1/chat/completions", me.credential(),
                    "{\"model\":\"" + them.eval().modelId() + "\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(404, chat.statusCode(), chat.body());
            String models = call(TailorService.INFERENCE, "GET", "/v1/models", me.credential(), null).body();
            // a promoted model is deployed under its dataset's alias, in its own tenant only
            String alias = me.dataset().toLowerCase(java.util.Locale.ROOT);
            assertTrue(models.contains(me.eval().modelId()) && models.contains(alias), models);
            assertEquals(404, call(TailorService.INFERENCE, "GET", "/v1/deployments/"
                    + them.dataset().toLowerCase(java.util.Locale.ROOT), me.credential(), null).statusCode());
            assertEquals(404, call(TailorService.INFERENCE, "POST", "/v1/deployments/"
                    + them.dataset().toLowerCase(java.util.Locale.ROOT) + "/rollback", me.credential(), null)
                    .statusCode());
            assertFalse(models.contains(them.eval().modelId()), "the served model list is per tenant: " + models);
            // objects: nothing of the other tenant's ids under this tenant's prefix
            for (ObjectInfo o : store.list(me.tenant() + "/")) {
                assertFalse(o.key().contains(them.dataset()) || o.key().contains(them.eval().modelId()), o.key());
            }
            for (String manifest : store.list(me.tenant() + "/").stream().map(ObjectInfo::key)
                    .filter(k -> k.endsWith("/manifest.json")).toList()) {
                assertEquals(me.tenant(), store.getJson(manifest, Manifest.class).tenant(), manifest);
            }
        }
        // every event names only objects of its own tenant; deployments are kept per tenant and alias
        for (String topic : Topics.ALL) {
            for (TopicTail.Event e : log.on(topic)) {
                String tenant = Json.read(e.value(), JsonNode.class).path("tenant").asText();
                Matcher m = S3_URI.matcher(e.value());
                while (m.find()) {
                    assertEquals(tenant, m.group(1), () -> "event on " + topic + " of " + tenant + " names " + e.value());
                }
            }
        }
        Set<String> deploymentKeys = new java.util.HashSet<>();
        log.on(Topics.MODEL_DEPLOYMENTS).forEach(e -> deploymentKeys.add(Json.read(e.value(), JsonNode.class)
                .path("tenant").asText() + "/" + Json.read(e.value(), JsonNode.class).path("alias").asText()));
        assertEquals(Set.of(tenantA + "/" + datasetA.toLowerCase(java.util.Locale.ROOT),
                tenantB + "/" + datasetB.toLowerCase(java.util.Locale.ROOT)), deploymentKeys);
    }

    void auditTrailNamesWhoDidWhat(TopicLog log, String tenantA, String principalA, String datasetA, String tenantB,
                                   String principalB, String datasetB) {
        List<AuditEvent> audit = log.on(Topics.AUDIT).stream().map(e -> Json.read(e.value(), AuditEvent.class)).toList();
        for (String[] t : new String[][] {{tenantA, principalA, datasetA}, {tenantB, principalB, datasetB}}) {
            List<AuditEvent> mine = audit.stream().filter(e -> e.tenant().equals(t[0])).toList();
            assertTrue(mine.stream().anyMatch(e -> e.action().equals(AuditEvent.DATASET_UPLOADED)
                    && e.actor().equals(t[1]) && e.resourceId().equals(t[2])), () -> t[0] + ": " + mine);
            for (String action : List.of(AuditEvent.DATASET_CLEANED, AuditEvent.TRAINING_REQUESTED,
                    AuditEvent.MODEL_TRAINED, AuditEvent.MODEL_EVALUATED, AuditEvent.MODEL_DEPLOYED)) {
                assertTrue(mine.stream().anyMatch(e -> e.action().equals(action) && e.actor().startsWith("service:")
                        && t[1].equals(e.onBehalfOf())), () -> action + " of " + t[0] + " on behalf of " + t[1] + ": " + mine);
            }
        }
    }

    /** A key made and revoked through ingest's admin API stops working on inference, another process. */
    void aRevokedKeyStopsWorkingOnEveryService(String admin) throws Exception {
        HttpResponse<String> made = call(TailorService.INGEST, "POST", "/v1/api-keys", admin,
                "{\"name\":\"short-lived\",\"roles\":[\"inference-client\"],\"expiresIn\":\"PT1H\"}");
        assertEquals(201, made.statusCode(), made.body());
        JsonNode body = Json.mapper().readTree(made.body());
        String key = body.path("key").asText();
        assertEquals(200, call(TailorService.INFERENCE, "GET", "/v1/models", key, null).statusCode());
        assertEquals(200, call(TailorService.INGEST, "DELETE", "/v1/api-keys/" + body.at("/apiKey/keyId").asText(),
                admin, null).statusCode());
        long revoked = System.nanoTime();
        int status = 200;
        while (status != 401 && System.nanoTime() - revoked < Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(100);
            status = call(TailorService.INFERENCE, "GET", "/v1/models", key, null).statusCode();
        }
        long ms = (System.nanoTime() - revoked) / 1_000_000;
        System.out.printf("[e2e] a key revoked on ingest was refused by inference after %d ms"
                + " (tailor.auth.api-key-cache-ttl=PT5S)%n", ms);
        assertEquals(401, status, "revoked key still accepted by inference after " + ms + " ms");
        assertTrue(ms <= 7_000, "revocation took " + ms + " ms, more than the 5 s cache TTL allows");
    }

    /** The S3 secret, API keys and tokens never reach a log, an event, an object or a process' command line. */
    void noSecretInLogsEventsObjectsOrCommandLines(TopicLog log, Path work, List<String> secrets) throws Exception {
        List<Path> logs;
        try (Stream<Path> files = Files.walk(work)) {
            logs = files.filter(p -> p.toString().endsWith(".log")).toList();
        }
        assertTrue(logs.size() >= 7, "service, kafka and s3 logs: " + logs);
        for (Path file : logs) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            secrets.forEach(secret -> assertFalse(text.contains(secret), "a secret in " + file));
        }
        for (String topic : Topics.ALL) {
            for (TopicTail.Event e : log.on(topic)) {
                secrets.forEach(secret -> assertFalse(e.value().contains(secret), "a secret on " + topic));
            }
        }
        int objects = 0;
        for (ObjectInfo o : store.list("")) {
            String text = new String(store.getBytes(o.key()), StandardCharsets.ISO_8859_1);
            secrets.forEach(secret -> assertFalse(text.contains(secret), "a secret in s3://tailor/" + o.key()));
            objects++;
        }
        List<Long> pids = new ArrayList<>(stack.infra().pids());
        pids.addAll(stack.servicePids().values());
        List<Long> all = new ArrayList<>();
        for (long pid : pids) {
            all.add(pid);
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> all.add(d.pid())));
        }
        for (long pid : all) {
            Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
            if (Files.exists(cmdline)) {
                String args = Files.readString(cmdline, StandardCharsets.ISO_8859_1);
                secrets.forEach(secret -> assertFalse(args.contains(secret), "a secret on the command line of " + pid));
            }
        }
        System.out.printf("[e2e] no secret in %d log files, %d events, %d objects, %d command lines%n", logs.size(),
                Topics.ALL.stream().mapToInt(t -> log.on(t).size()).sum(), objects, all.size());
    }

    void erasureRemovesTheDataAndNamesTheModels(String credential, String tenant, String datasetId, String modelId)
            throws Exception {
        HttpResponse<String> r = call(TailorService.INGEST, "DELETE", "/v1/datasets/" + datasetId, credential, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Json.mapper().readTree(r.body()).path("modelsToRetire").toString().contains(modelId), r.body());
        ObjectLayout layout = new ObjectLayout(tenant);
        assertEquals(List.of(), store.list(layout.rawPrefix(datasetId)));
        assertEquals(List.of(), store.list(layout.datasetRoot(datasetId)));
        assertEquals(404, call(TailorService.INGEST, "GET", "/v1/datasets/" + datasetId, credential, null).statusCode());
        assertFalse(store.list(layout.tunedModel(modelId)).isEmpty(), "the model stays for the operator to retire");
    }
}
