package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tailor.common.json.Json;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Tailor's REST APIs over the JDK's HTTP client, JSON by Jackson. A refusal of the server becomes an
 * {@link ApiException} whose message is the server's own explanation: the problem detail ({@code title: detail}) or
 * OpenAI's error object ({@code error.message}).
 */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Map<Service, String> urls;
    private final String key;

    public ApiClient(Map<Service, String> urls, String key) {
        this.urls = Map.copyOf(urls);
        this.key = key;
    }

    /** A refusal or failure of the server, with its explanation. */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final JsonNode body;

        ApiException(int status, String message, JsonNode body) {
            super(message);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public JsonNode body() {
            return body;
        }
    }

    public String url(Service s) {
        return urls.get(s);
    }

    public JsonNode get(Service s, String path) {
        return json(send(request(s, path).GET(), s, path));
    }

    public JsonNode delete(Service s, String path) {
        return json(send(request(s, path).DELETE(), s, path));
    }

    public JsonNode post(Service s, String path, Object body) {
        return json(send(request(s, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : Json.write(body))), s, path));
    }

    public JsonNode put(Service s, String path, Object body) {
        return json(send(request(s, path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))), s, path));
    }

    /** The body as text (an HTML report). */
    public String text(Service s, String path) {
        return send(request(s, path).setHeader("Accept", "text/html, */*").GET(), s, path).body();
    }

    /** Uploads a file as the request body, reporting the bytes sent so far to {@code progress}. */
    public JsonNode upload(Service s, String path, Path file, String contentType, LongConsumer progress) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress));
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
        return json(send(request(s, path).timeout(Duration.ofHours(1)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.fromPublisher(body, size)), s, path));
    }

    /** A streamed POST (server-sent events): the response's body as lines, once the status was checked. */
    public java.util.stream.Stream<String> streamLines(Service s, String path, Object body) {
        HttpRequest req = request(s, path).timeout(Duration.ofMinutes(10)).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        try {
            HttpResponse<java.util.stream.Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
            if (res.statusCode() >= 300) {
                String text = String.join("\n", res.body().toList());
                throw refusal(res.statusCode(), text, s, path);
            }
            return res.body();
        } catch (IOException e) {
            throw unreachable(s, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(Service s, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(urls.get(s) + path)).timeout(Duration.ofMinutes(2))
                .header("Accept", "application/json");
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder req, Service s, String path) {
        try {
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() >= 300) {
                throw refusal(res.statusCode(), res.body(), s, path);
            }
            return res;
        } catch (IOException e) {
            throw unreachable(s, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private IllegalStateException unreachable(Service s, IOException e) {
        String why = e instanceof ConnectException ? "nothing answers there" : String.valueOf(e.getMessage());
        return new IllegalStateException("the " + s.key() + " service at " + urls.get(s) + " cannot be reached (" + why
                + "): start a local Tailor with ./tailor up, or give its URL with --url, --" + s.key()
                + "-url or TAILOR_URL");
    }

    /** The server's explanation of a refusal: problem details, OpenAI's error object, or the status alone. */
    static ApiException refusal(int status, String text, Service s, String path) {
        JsonNode body = NullNode.getInstance();
        String message;
        try {
            body = text == null || text.isBlank() ? NullNode.getInstance() : Json.read(text, JsonNode.class);
        } catch (RuntimeException notJson) {
            body = NullNode.getInstance();
        }
        if (body.hasNonNull("detail") || body.hasNonNull("title")) {
            message = body.path("title").asText("Error") + ": " + body.path("detail").asText("");
        } else if (body.path("error").isObject()) {
            message = body.path("error").path("message").asText("") + (body.path("error").hasNonNull("code")
                    ? " (" + body.path("error").path("code").asText() + ")" : "");
        } else {
            message = text == null || text.isBlank() ? "no explanation given" : text.strip();
        }
        String hint = status == 401 ? " — set TAILOR_API_KEY (or api-key in ~/.config/tailor/config)" : "";
        return new ApiException(status, "HTTP " + status + " from " + s.key() + " (" + path + "): " + message + hint,
                body);
    }

    private static JsonNode json(HttpResponse<String> res) {
        String body = res.body();
        return body == null || body.isBlank() ? NullNode.getInstance() : Json.read(body, JsonNode.class);
    }

    private static InputStream counting(Path file, LongConsumer progress) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                private long sent;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        sent += n;
                        progress.accept(sent);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
