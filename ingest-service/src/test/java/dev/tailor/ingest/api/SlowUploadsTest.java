package dev.tailor.ingest.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.auth.Roles;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: memory bounded by design. 200 uploads whose clients send a few bytes and stall hold at most
 * {@code tailor.ingest.max-concurrent-uploads} slots (each a part buffer the size of what was sent); the others are
 * answered 503 with Retry-After at once, and a normal upload that honours Retry-After gets through once the stalled
 * clients are cut off by the idle timeout.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
@TestProfile(SlowUploadsTest.FewSlots.class)
class SlowUploadsTest {
    /** Few slots and a short idle timeout, so that the test is quick. */
    public static final class FewSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tailor.ingest.max-concurrent-uploads", "8", "quarkus.http.idle-timeout", "6s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void twoHundredStalledUploadsDoNotStopANormalOne() throws Exception {
        String tenant = "s-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestIssuer.shared().token(tenant, "editor@" + tenant, Roles.DATA_EDITOR);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket(base.getHost(), base.getPort());
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/datasets?name=slow" + i + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000000\r\n\r\n{\"mess")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                stalled.add(s);
            }
            // the uploads beyond the slots are refused at once, with a problem and Retry-After
            int refused = 0;
            for (Socket s : stalled) {
                String head = readSome(s);
                if (head.startsWith("HTTP/1.1 503")) {
                    refused++;
                    assertTrue(head.toLowerCase().contains("retry-after: 5"), head);
                    assertTrue(head.contains("max-concurrent-uploads"), head);
                }
            }
            assertTrue(refused >= 200 - 8, refused + " of 200 stalled uploads refused");

            byte[] normal = ("{\"question\": \"How do I reset my password?\", \"answer\": \"Use the link on the"
                    + " sign-in page.\"}\n").getBytes(StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + 60_000_000_000L;
            Response r;
            while (true) {
                r = given().auth().oauth2(token).contentType("application/x-ndjson").queryParam("name", "normal")
                        .body(normal).post("/v1/datasets");
                if (r.statusCode() != 503 || System.nanoTime() > deadline) {
                    break;
                }
                assertEquals("5", r.header("Retry-After"));
                Thread.sleep(5000);
            }
            assertEquals(202, r.statusCode(), r.asString());
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    /** What the server has answered on {@code s} so far (within a second), or "" when it has not. */
    private static String readSome(Socket s) throws Exception {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        } catch (java.net.SocketTimeoutException e) {
            return "";
        }
    }
}
