package dev.tailor.training;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Readiness that does not hang: while the real S3 server or broker of the testkit is stalled (SIGSTOP), {@code
 * /q/health/ready} answers within its deadline (tailor.health.timeout, 2 s) with DOWN and the reason, and UP again
 * once it goes on (SIGCONT).
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class ReadinessTest {
    private static final long DEADLINE_MS = 3000;

    @Test
    void readinessIsDownWithinTheDeadlineWhileS3IsStalled() throws Exception {
        stallAndCheck(TailorInfraResource.s3Process(), "s3");
    }

    @Test
    void readinessIsDownWithinTheDeadlineWhileTheBrokerIsStalled() throws Exception {
        stallAndCheck(TailorInfraResource.kafkaProcess(), "kafka");
    }

    private static void stallAndCheck(Optional<ProcessHandle> server, String check) throws Exception {
        assumeTrue(server.isPresent(), "faults are injected into the local servers only (not Testcontainers)");
        long pid = server.get().pid();
        awaitUp(check);
        signal("STOP", pid);
        try {
            Thread.sleep(1500); // past the cached result
            for (int probe = 1; probe <= 3; probe++) {
                long start = System.nanoTime();
                Response r = given().get("/q/health/ready");
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("readiness with %s stalled, probe %d: %d ms, HTTP %d%n", check, probe, ms,
                        r.statusCode());
                assertTrue(ms < DEADLINE_MS, "readiness answered in " + ms + " ms");
                assertEquals(503, r.statusCode(), r.asString());
                Map<String, Object> c = checkOf(r.jsonPath(), check);
                assertEquals("DOWN", c.get("status"), r.asString());
                assertTrue(String.valueOf(c.get("data")).contains("no answer within 2000 ms"), r.asString());
            }
        } finally {
            signal("CONT", pid);
        }
        awaitUp(check);
    }

    private static void awaitUp(String check) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Object> c = checkOf(given().get("/q/health/ready").jsonPath(), check);
            return c != null && "UP".equals(c.get("status"));
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> checkOf(JsonPath health, String name) {
        return health.getList("checks", Map.class).stream().filter(c -> name.equals(c.get("name")))
                .map(c -> (Map<String, Object>) c).findFirst().orElse(null);
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor());
    }
}
