package dev.tailor.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.events.DatasetDeleted;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console against the real broker, S3 and token issuer on loopback, and a real HTTP server behind its proxy:
 * public pages, the proxy (credentials checked here and passed on, bodies and streams both ways, clear errors), the
 * live events of the caller's tenant only, and the cleaning report of the caller's tenant only.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
@QuarkusTestResource(EchoService.class)
class ConsoleServiceTest {
    static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URI base;

    static String tenant() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String token(String tenant, String... roles) {
        return TestIssuer.shared().token(tenant, "user@" + tenant, roles);
    }

    @Test
    void pagesAndScriptsAreServedWithoutCredentials() {
        given().get("/").then().statusCode(200).body(containsString("Tailor console"))
                .body(containsString("/js/app.js"));
        for (String asset : List.of("/js/app.js", "/js/api.js", "/js/pages/datasets.js", "/js/pages/chat.js",
                "/console.css")) {
            given().get(asset).then().statusCode(200);
        }
    }

    @Test
    void theProxyRefusesCallersWithoutValidCredentials() {
        for (var spec : List.of(given(), given().auth().oauth2("tlr_0123456789abcdef_" + "A".repeat(43)),
                given().auth().oauth2("not-a-token"))) {
            spec.get("/api/echo/v1/things").then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", startsWith("Bearer")).body("status", equalTo(401));
        }
        given().get("/console/v1/events").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void theProxyPassesMethodPathQueryCredentialAndBodyOnAndTheAnswerBack() {
        String token = token(tenant(), Roles.VIEWER);
        given().urlEncodingEnabled(false).auth().oauth2(token).contentType("application/json")
                .body("{\"hello\":\"world\"}")
                .post("/api/echo/v1/things/t-1?dryRun=true&x=%20y").then().statusCode(200).header("X-Echo", "yes")
                .body("method", equalTo("POST")).body("path", equalTo("/v1/things/t-1"))
                .body("query", equalTo("dryRun=true&x=%20y")).body("authorization", equalTo("Bearer " + token))
                .body("contentType", equalTo("application/json")).body("body", equalTo("{\"hello\":\"world\"}"));
        given().auth().oauth2(token).get("/api/echo/v1/missing").then().statusCode(404);
        given().auth().oauth2(token).get("/api/nowhere/v1/x").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("echo"));
        given().auth().oauth2(token).get("/api/down/v1/x").then().statusCode(502).contentType(PROBLEM)
                .body("detail", containsString("tailor.console.services"));
    }

    @Test
    void aStreamedAnswerComesThroughEventByEvent() throws Exception {
        HttpResponse<java.io.InputStream> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/api/echo/v1/stream")).header("Authorization", "Bearer " + token(tenant(), Roles.VIEWER))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<Long> arrivals = new ArrayList<>();
        List<String> data = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "[DONE]"), data);
        assertTrue(arrivals.get(2) - arrivals.get(0) > TimeUnit.MILLISECONDS.toNanos(400),
                "the events arrived together, the proxy buffered the stream");
    }

    @Test
    void theEventStreamCarriesTheCallersTenantOnly() throws Exception {
        String mine = tenant();
        String theirs = tenant();
        HttpResponse<java.util.stream.Stream<String>> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/console/v1/events")).header("Authorization", "Bearer " + token(mine, Roles.VIEWER))
                .build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, res.statusCode());
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> res.body().takeWhile(l -> {
            synchronized (lines) {
                lines.add(l);
            }
            return !l.contains("ds-mine");
        }).forEach(l -> { }));
        awaitLine(lines, "event:ready", Duration.ofSeconds(10));
        try (KafkaTestClient kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap())) {
            // the topic may not exist yet: the console finds new topics within seconds and reads them from the start
            kafka.send(Topics.DATASET_DELETED, "ds-theirs", Json.write(DatasetDeleted.create(theirs, "ds-theirs", "x")));
            kafka.send(Topics.DATASET_DELETED, "ds-mine", Json.write(DatasetDeleted.create(mine, "ds-mine", "x")));
        }
        reading.get(30, TimeUnit.SECONDS);
        String all;
        synchronized (lines) {
            all = String.join("\n", lines);
        }
        assertTrue(all.contains("event:dataset.deleted"), all);
        assertTrue(all.contains("\"tenant\":\"" + mine + "\""), all);
        assertFalse(all.contains(theirs), "another tenant's event reached the stream: " + all);
    }

    private static void awaitLine(List<String> lines, String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                if (lines.stream().anyMatch(l -> l.replace(" ", "").startsWith(prefix))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + prefix + "' line within " + timeout + ": " + lines);
    }
}
