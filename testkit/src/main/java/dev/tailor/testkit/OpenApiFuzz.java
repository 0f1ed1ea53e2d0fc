package dev.tailor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Issue 16: sends a seeded, reproducible set of malformed requests to every operation of a service's OpenAPI
 * document (wrong, missing and garbage content types; truncated, invalid and wrongly shaped JSON; nulls and wrong
 * types in every documented field; hostile path and query parameters; odd headers), as an authenticated caller, and
 * requires every answer to be below 500 with a non-empty body in the service's error shape.
 */
public final class OpenApiFuzz {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");
    /** The seed every run uses unless told otherwise, so a failure repeats. */
    public static final long SEED = 16L;
    /** The most cases sent to one operation. */
    public static final int MAX_CASES_PER_OPERATION = 40;

    /** The status of a case the HTTP client would not send (not checked, counted as skipped). */
    public static final int UNSENDABLE = -1;

    /** How a service says what was wrong. */
    public enum ErrorShape {
        /** RFC 9457 problem details: an object with a {@code title} or {@code detail}. */
        PROBLEM,
        /** OpenAI's {@code {"error": {"message": ...}}}. */
        OPENAI;

        boolean matches(JsonNode body) {
            return switch (this) {
                case PROBLEM -> body.isObject() && (text(body, "detail") || text(body, "title"));
                case OPENAI -> body.path("error").isObject() && text(body.path("error"), "message");
            };
        }

        private static boolean text(JsonNode n, String field) {
            return n.hasNonNull(field) && !n.get(field).asText().isBlank();
        }
    }

    /** One malformed request and what it was answered. */
    public record Case(String operation, String what, int status, String body) {
        @Override
        public String toString() {
            return operation + " [" + what + "] answered " + status + ": "
                    + body.substring(0, Math.min(200, body.length())).replace('\n', ' ');
        }
    }

    private record Request(String what, String method, String url, String contentType, byte[] body,
                           Map<String, String> headers) {
    }

    private OpenApiFuzz() {
    }

    /**
     * For a {@code @QuarkusTest}: fuzzes every operation documented at {@code root} with {@link #SEED} as an admin of
     * a test tenant, prints the counts, and fails naming every 5xx, every error without a body and every error not in
     * {@code shape}.
     */
    public static List<Case> requireNoServerErrors(java.net.URL root, ErrorShape shape)
            throws IOException, InterruptedException {
        String token = TestIssuer.shared().token("t-fuzz", "admin@fuzz", dev.tailor.common.auth.Roles.ADMIN);
        String base = root.toString().endsWith("/") ? root.toString().substring(0, root.toString().length() - 1)
                : root.toString();
        long start = System.nanoTime();
        List<Case> cases = run(base, token, SEED);
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            if (c.status() == UNSENDABLE) {
                continue;
            }
            if (c.status() >= 500 || c.status() < 100) {
                wrong.add("server error: " + c);
            } else if (c.status() >= 400 && c.body().isBlank()) {
                wrong.add("empty error body: " + c);
            } else if (c.status() >= 400 && !shape.matches(parse(c.body()))) {
                wrong.add("not a " + shape + " error: " + c);
            }
        }
        long operations = cases.stream().map(Case::operation).distinct().count();
        long skipped = cases.stream().filter(c -> c.status() == UNSENDABLE).count();
        System.out.printf("OpenApiFuzz %s: %d cases on %d operations (seed %d) in %d ms, %d not sendable, %d wrong%n",
                base, cases.size(), operations, SEED, (System.nanoTime() - start) / 1_000_000, skipped, wrong.size());
        if (operations == 0) {
            throw new AssertionError("the OpenAPI document of " + base + " lists no operations");
        }
        if (!wrong.isEmpty()) {
            throw new AssertionError(wrong.size() + " malformed requests were answered wrongly (seed " + SEED
                    + "):\n" + String.join("\n", wrong));
        }
        return cases;
    }

    /** Sends every case to every operation of {@code baseUrl}'s document; the same seed sends the same requests. */
    public static List<Case> run(String baseUrl, String bearer, long seed) throws IOException, InterruptedException {
        JsonNode doc = OpenApiConformance.document(baseUrl, bearer);
        List<Case> cases = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                Random random = new Random(seed ^ name.hashCode());
                for (Request r : requests(doc, op.getKey().toUpperCase(Locale.ROOT), baseUrl, path.getKey(),
                        op.getValue(), random)) {
                    cases.add(send(name, r, bearer));
                }
            }
        }
        return cases;
    }

    private static List<Request> requests(JsonNode doc, String method, String base, String template, JsonNode op,
                                          Random random) {
        List<Request> out = new ArrayList<>();
        List<String> query = new ArrayList<>();
        for (JsonNode p : op.path("parameters")) {
            if ("query".equals(p.path("in").asText())) {
                query.add(p.path("name").asText());
            }
        }
        String url = base + template.replaceAll("\\{[^}]+}", "zz-no-such-id-1");
        // path parameters
        if (template.contains("{")) {
            // the longest value that keeps the request line within the server's 4 KiB limit
            int params = template.split("\\{", -1).length - 1;
            int longest = Math.max(16, (3500 - url.length()) / params - random.nextInt(200));
            for (String v : List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..", "%C3%BC%E5%90%8D%F0%9F%99%82",
                    "%00", "%0A%0D", "%20", "%25", "%FF%FE", "a".repeat(longest),
                    "%7B%7D", "';--", Long.toString(random.nextLong()))) {
                out.add(new Request("path parameter " + abbreviate(v), method,
                        base + template.replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(v)),
                        null, null, Map.of()));
            }
        }
        // query parameters of the wrong type
        for (String q : query) {
            for (String v : List.of("abc", "-1", "99999999999999999999999", "", "\u0000", "1.5e400", "[]",
                    "x".repeat(2000 + random.nextInt(500)))) {
                out.add(new Request("query " + q + "=" + abbreviate(v), method,
                        url + "?" + q + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8), null, null, Map.of()));
            }
        }
        // odd headers
        out.add(new Request("Accept: garbage", method, url, null, null, Map.of("Accept", "garbage/;;q=x")));
        out.add(new Request("Accept: application/xml", method, url, null, null, Map.of("Accept", "application/xml")));
        out.add(new Request("huge header", method, url, null, null,
                Map.of("X-Fuzz", "v".repeat(4000 + random.nextInt(2000)))));
        // bodies
        JsonNode content = op.path("requestBody").path("content");
        if (content.isObject() && content.size() > 0) {
            String type = content.fieldNames().next();
            JsonNode schema = resolve(doc, content.path(type).path("schema"));
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            bodies.put("empty", new byte[0]);
            bodies.put("truncated JSON", utf8("{\"a\": [1, 2"));
            bodies.put("invalid JSON", utf8("{,}"));
            bodies.put("NUL bytes", new byte[] {0, 0, 0});
            byte[] noise = new byte[256 + random.nextInt(256)];
            random.nextBytes(noise);
            bodies.put("random bytes", noise);
            bodies.put("array", utf8("[]"));
            bodies.put("number", utf8("42"));
            bodies.put("null", utf8("null"));
            bodies.put("string", utf8("\"s\""));
            bodies.put("nested 5000 deep", utf8("{\"a\":".repeat(5000) + "1" + "}".repeat(5000)));
            bodies.put("huge string", utf8("{\"a\":\"" + "x".repeat(200_000) + "\"}"));
            bodies.put("invalid UTF-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            List<String> fields = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(fields::add);
            if (!fields.isEmpty()) {
                bodies.put("null in every field", utf8(object(fields, f -> "null")));
                bodies.put("arrays in every field", utf8(object(fields, f -> "[[],{}]")));
                bodies.put("numbers in every field", utf8(object(fields, f -> "-1e309")));
                bodies.put("objects in every field", utf8(object(fields, f -> "{\"x\":{\"y\":[null]}}")));
                bodies.put("strings in every field", utf8(object(fields, f -> "\"\\u0000../\\n" + "z".repeat(
                        1000 + random.nextInt(1000)) + "\"")));
                String one = fields.get(random.nextInt(fields.size()));
                bodies.put("only " + one + ", wrong", utf8("{\"" + one + "\": true}"));
            }
            for (Map.Entry<String, byte[]> b : bodies.entrySet()) {
                out.add(new Request(b.getKey() + " as " + type, method, url, type, b.getValue(), Map.of()));
            }
            for (String bad : List.of("text/plain", "application/xml", "garbage", "application/json; charset=bogus",
                    "multipart/form-data", "multipart/form-data; boundary=zz", "application/x-www-form-urlencoded")) {
                out.add(new Request("{} as " + bad, method, url, bad, utf8("{}"), Map.of()));
            }
            out.add(new Request("{} without a content type", method, url, null, utf8("{}"), Map.of()));
            out.add(new Request("multipart without its closing boundary", method, url,
                    "multipart/form-data; boundary=zz", utf8("--zz\r\nContent-Disposition: form-data; name=\"file\";"
                    + " filename=\"a\\nb.jsonl\"\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n"), Map.of()));
            out.add(new Request("multipart with a hostile filename", method, url,
                    "multipart/form-data; boundary=zz", utf8("--zz\r\nContent-Disposition: form-data; name=\"file\";"
                    + " filename=\"../../\u0001\u202e.jsonl\"\r\nContent-Type: application/json\r\n\r\n{}\r\n"
                    + "--zz--\r\n"),
                    Map.of()));
        } else if (!"GET".equals(method)) {
            out.add(new Request("unexpected body", method, url, "application/json", utf8("{\"a\":"), Map.of()));
        }
        java.util.Collections.shuffle(out, random);
        return out.subList(0, Math.min(MAX_CASES_PER_OPERATION, out.size()));
    }

    private static String object(List<String> fields, java.util.function.Function<String, String> value) {
        StringBuilder s = new StringBuilder("{");
        for (String f : fields) {
            s.append(s.length() > 1 ? "," : "").append('"').append(f).append("\":").append(value.apply(f));
        }
        return s.append('}').toString();
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : schema;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String v) {
        return v.length() > 40 ? v.substring(0, 20) + "…(" + v.length() + " chars)" : v;
    }

    private static JsonNode parse(String body) {
        try {
            return Json.read(body.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static Case send(String operation, Request r, String bearer) throws InterruptedException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(r.url())).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + bearer);
        } catch (IllegalArgumentException e) {
            return new Case(operation, r.what(), UNSENDABLE,
                    "the HTTP client refuses to send this URL: " + e.getMessage());
        }
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        r.headers().forEach(b::header);
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        try {
            HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Case(operation, r.what(), res.statusCode(), res.body());
        } catch (IOException e) {
            return new Case(operation, r.what(), 0, "no answer: " + e);
        }
    }
}
