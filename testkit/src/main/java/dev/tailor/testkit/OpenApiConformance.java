package dev.tailor.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a service's OpenAPI document against the service itself: every documented operation is called (path
 * parameters filled with an id that does not exist, a body of {@code {}} in the first content type it accepts), and
 * the status it answers must be one the document lists for that operation. An operation that documents no responses
 * but the framework's default fails too: the document has to say what the caller will get.
 */
public final class OpenApiConformance {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private OpenApiConformance() {
    }

    /** One operation called: what the document lists and what the service answered. */
    public record Call(String method, String path, Set<String> documented, int status, String body) {
        public boolean conforms() {
            return documented.contains(Integer.toString(status)) || documented.contains("default");
        }

        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path + " answered " + status + ", documented "
                    + documented + (conforms() ? "" : ": " + body.substring(0, Math.min(300, body.length())));
        }
    }

    /**
     * Calls every operation of {@code baseUrl}'s {@code /q/openapi} with {@code bearer} (a token or API key with every
     * role). {@code skip}: paths not to call (e.g. streams that would wait), as they appear in the document.
     */
    public static List<Call> check(String baseUrl, String bearer, Set<String> skip) throws IOException, InterruptedException {
        return check(document(baseUrl, bearer), baseUrl, bearer, skip);
    }

    /** Calls every operation of {@code doc} on {@code baseUrl} with {@code bearer}, or without credentials if null. */
    private static List<Call> check(JsonNode doc, String baseUrl, String bearer, Set<String> skip)
            throws IOException, InterruptedException {
        List<Call> calls = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (skip.contains(path.getKey())) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                Set<String> documented = new java.util.TreeSet<>();
                op.getValue().path("responses").fieldNames().forEachRemaining(documented::add);
                String url = baseUrl + path.getKey().replaceAll("\\{[^}]+}", "zz-no-such-id-1");
                String type = null;
                Iterator<String> types = op.getValue().path("requestBody").path("content").fieldNames();
                if (types.hasNext()) {
                    type = types.next();
                }
                String body = type == null ? null : type.startsWith("multipart/") ? "" : "{}";
                HttpResponse<String> res = send(op.getKey().toUpperCase(java.util.Locale.ROOT), url, bearer, type, body);
                calls.add(new Call(op.getKey(), path.getKey(), documented, res.statusCode(), res.body()));
            }
        }
        return calls;
    }

    /**
     * For a {@code @QuarkusTest}: calls every operation documented at {@code root} (the test's {@code /} URL) with a
     * token of an admin of a test tenant and once without credentials, prints each call, and fails naming every answer
     * the document does not list, every operation that answers a caller without credentials other than 401, and every
     * operation that does not document 403.
     *
     * @return the document, for checks of its own
     */
    public static JsonNode requireConforming(java.net.URL root) throws IOException, InterruptedException {
        String token = TestIssuer.shared().token("t-openapi", "admin@openapi", dev.tailor.common.auth.Roles.ADMIN);
        String base = root.toString().endsWith("/") ? root.toString().substring(0, root.toString().length() - 1)
                : root.toString();
        JsonNode doc = document(base, token);
        List<Call> calls = new ArrayList<>(check(doc, base, token, Set.of()));
        // the same operations without credentials: each must answer its documented 401
        List<Call> anonymous = check(doc, base, null, Set.of());
        calls.addAll(anonymous);
        calls.forEach(System.out::println);
        if (calls.isEmpty()) {
            throw new AssertionError("the OpenAPI document of " + base + " lists no operations");
        }
        List<Call> wrong = new ArrayList<>(calls.stream().filter(c -> !c.conforms()).toList());
        anonymous.stream().filter(c -> c.status() != 401 || !c.documented().contains("403")).forEach(wrong::add);
        if (!wrong.isEmpty()) {
            throw new AssertionError("answers the document does not list: " + wrong);
        }
        return doc;
    }

    /** The service's OpenAPI document as JSON. */
    public static JsonNode document(String baseUrl, String bearer) throws IOException, InterruptedException {
        return Json.read(send("GET", baseUrl + "/q/openapi?format=json", bearer, null, null).body(), JsonNode.class);
    }

    private static HttpResponse<String> send(String method, String url, String bearer, String type, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
