package dev.tailor.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.testkit.TestIssuer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: hostile and malformed requests, written byte by byte on a socket (a client library would refuse to send
 * most of them), get a 4xx problem with a body, never a 5xx, and leave no objects behind.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class HostileRequestsTest {
    private static final String CRLF = "\r\n";

    @TestHTTPResource("/")
    URL base;

    /** Status, headers and body of a raw exchange. */
    record Answer(int status, String head, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static String tenant() {
        return "h-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String token(String tenant) {
        return TestIssuer.shared().token(tenant, "editor@" + tenant, Roles.ADMIN);
    }

    /** Sends {@code head} (request line and headers, without the blank line) and {@code body} as they are. */
    private Answer exchange(String head, byte[] body) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((head + CRLF + "Host: " + base.getHost() + CRLF + "Connection: close" + CRLF + CRLF)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf(CRLF + CRLF);
            String h = split < 0 ? text : text.substring(0, split);
            String b = split < 0 ? "" : text.substring(split + 4);
            if (h.toLowerCase().contains("transfer-encoding: chunked")) {
                b = dechunk(b);
            }
            if (!h.startsWith("HTTP/1.1 ")) {
                return new Answer(599, h, "no HTTP answer from " + base + ": '" + text + "'");
            }
            int status = Integer.parseInt(h.substring(9, 12));
            return new Answer(status, h, b);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf(CRLF, i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, eol).trim().split(";")[0], 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private Answer post(String path, String tenant, String contentType, byte[] body) throws IOException {
        return exchange("POST " + path + " HTTP/1.1" + CRLF + "Authorization: Bearer " + token(tenant) + CRLF
                + "Content-Type: " + contentType + CRLF + "Content-Length: " + body.length, body);
    }

    /** A 4xx with an RFC 7807 body that says something. */
    private static void assertProblem(Answer a, String what) {
        assertTrue(a.status() >= 400 && a.status() < 500, what + ": expected a 4xx, got " + a);
        assertFalse(a.body().isBlank(), what + ": empty body (" + a.status() + ")");
        JsonNode p = Json.read(a.body().getBytes(StandardCharsets.UTF_8), JsonNode.class);
        assertTrue(p.hasNonNull("title") && p.hasNonNull("detail") && !p.get("detail").asText().isBlank(),
                what + ": not a problem with a detail: " + a.body());
    }

    private static void assertNothingStored(String tenant) {
        ObjectStore store = TailorInfraResource.objectStore();
        assertEquals(List.of(), store.list(new ObjectLayout(tenant).root())
                .stream().map(o -> o.key()).toList(), "a refused upload left objects behind");
    }

    @Test
    void multipartWithoutItsClosingBoundaryIs400() throws IOException {
        String tenant = tenant();
        String body = "--XYZ" + CRLF + "Content-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"" + CRLF
                + "Content-Type: application/x-ndjson" + CRLF + CRLF
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"ho\"}]}"
                + CRLF; // no --XYZ-- at the end
        assertProblem(post("/v1/datasets", tenant, "multipart/form-data; boundary=XYZ",
                body.getBytes(StandardCharsets.UTF_8)), "multipart without closing boundary");
        assertNothingStored(tenant);
    }

    @Test
    void aFilenameWithANewlineIsNever5xx() throws IOException {
        String tenant = tenant();
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"ho\"}]}";
        // multipart: an RFC 5987 filename* carrying a newline, and a quoted one with a bare LF inside
        for (String disposition : List.of("filename*=UTF-8''a%0Ab.jsonl", "filename=\"a\nb.jsonl\"",
                "filename=\"a%0D%0Ab.jsonl\"")) {
            String body = "--XYZ" + CRLF + "Content-Disposition: form-data; name=\"file\"; " + disposition + CRLF
                    + "Content-Type: application/x-ndjson" + CRLF + CRLF + line + CRLF + "--XYZ--" + CRLF;
            Answer a = post("/v1/datasets", tenant, "multipart/form-data; boundary=XYZ",
                    body.getBytes(StandardCharsets.UTF_8));
            assertTrue(a.status() < 500, disposition + ": " + a);
            if (a.status() >= 400) {
                assertProblem(a, disposition);
            }
        }
        // raw body: the file name as a query parameter is kept without its line break, or refused with a problem
        Answer raw = post("/v1/datasets?name=x&filename=a%0Ab.jsonl", tenant, "application/x-ndjson",
                line.getBytes(StandardCharsets.UTF_8));
        assertTrue(raw.status() < 500, raw.toString());
        if (raw.status() >= 400) {
            assertProblem(raw, "filename query parameter with a newline");
        }
        TailorInfraResource.objectStore().list(new ObjectLayout(tenant).root())
                .forEach(o -> assertFalse(o.key().contains("\n") || o.key().contains("\r"), o.key()));
    }

    /**
     * Generated malformed requests to every endpoint: bodies, content types, parameters, file names, path segments
     * and headers. None may answer 5xx or an error without a body.
     */
    @Test
    void fuzzedRequestsToEveryEndpointNeverAnswer5xx() throws IOException {
        Random random = new Random(16);
        String tenant = tenant();
        List<String> paths = List.of("/v1/datasets", "/v1/datasets/ds-1", "/v1/datasets/ds-1/versions",
                "/v1/api-keys", "/v1/api-keys/k-1", "/v1/datasets/%2e%2e%2f", "/v1/datasets/%00",
                "/v1/datasets/" + "a".repeat(300), "/v1/datasets/%ff%fe", "/v1/datasets/ds-1/versions?name=%0a");
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
        List<String> types = List.of("application/x-ndjson", "application/json", "multipart/form-data",
                "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unterminated",
                "multipart/form-data; boundary=B", "text/csv; charset=bogus", "application/zip", "application/gzip",
                "message/rfc822", "application/pdf", "*/*", "garbage", ";;;", "text/plain; charset=utf-16");
        List<String> queries = List.of("", "?name=", "?name=%00", "?autoTrain=maybe", "?baseModel=../../etc",
                "?filename=..%2F..%2Fx", "?filename=a%0D%0Ab", "?name=" + "n".repeat(5000), "?filename=%C0%AF",
                "?autoTrain=true&baseModel=%20");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < 400; i++) {
            String method = methods.get(random.nextInt(methods.size()));
            String path = paths.get(random.nextInt(paths.size()));
            String query = path.contains("?") ? "" : queries.get(random.nextInt(queries.size()));
            String type = types.get(random.nextInt(types.size()));
            byte[] body = body(random, type);
            StringBuilder head = new StringBuilder(method + " " + path + query + " HTTP/1.1" + CRLF
                    + "Authorization: Bearer " + token(tenant) + CRLF + "Content-Type: " + type + CRLF
                    + "Content-Length: " + body.length);
            if (random.nextInt(5) == 0) {
                head.append(CRLF).append("Content-Encoding: ").append(random.nextBoolean() ? "gzip" : "br");
            }
            if (random.nextInt(5) == 0) {
                head.append(CRLF).append("Accept: ").append(random.nextBoolean() ? "text/html" : "application/xml");
            }
            Answer a = exchange(head.toString(), body);
            sent++;
            String what = method + " " + path + query + " [" + type + ", " + body.length + " bytes]";
            if (a.status() >= 500) {
                failures.add(what + " → " + a);
            } else if (a.status() >= 400 && a.body().isBlank()) {
                failures.add(what + " → " + a.status() + " with an empty body");
            }
        }
        assertEquals(400, sent);
        assertEquals(List.of(), failures);
    }

    /** A malformed body for {@code type}: truncated, binary, broken multipart, bad JSON. */
    private static byte[] body(Random random, String type) {
        String line = "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"content\":\"a\"}]}";
        return switch (random.nextInt(8)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] b = new byte[random.nextInt(2048)];
                random.nextBytes(b);
                yield b;
            }
            case 2 -> ("--B" + CRLF + "Content-Disposition: form-data; name=\"file\"; filename=\"x.jsonl\"" + CRLF + CRLF
                    + line).getBytes(StandardCharsets.UTF_8);
            case 3 -> ("--B" + CRLF + "Content-Disposition: form-data; name=\"file\"; filename=\"" + "\u0000\r\n../x"
                    + "\"" + CRLF + CRLF + line + CRLF + "--B--" + CRLF).getBytes(StandardCharsets.UTF_8);
            case 4 -> ("--B" + CRLF + "Content-Disposition: form-data" + CRLF + CRLF + line + CRLF + "--B--")
                    .getBytes(StandardCharsets.UTF_8);
            case 5 -> "{\"messages\": [".repeat(1 + random.nextInt(3000)).getBytes(StandardCharsets.UTF_8);
            case 6 -> ("--B" + CRLF + "Content-Disposition: form-data; name=\"cleaning\"" + CRLF + CRLF + "{not json"
                    + CRLF + "--B" + CRLF + "Content-Disposition: form-data; name=\"file\"; filename=\"x.jsonl\""
                    + CRLF + CRLF + line + CRLF + "--B--" + CRLF).getBytes(StandardCharsets.UTF_8);
            default -> (line + "\n" + line.substring(0, random.nextInt(line.length()))).getBytes(StandardCharsets.UTF_8);
        };
    }
}
