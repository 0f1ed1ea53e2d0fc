package dev.tailor.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load of concurrent OpenAI clients on {@code POST /v1/chat/completions} (streamed, usage included): each client
 * sends its requests one after the other; all start together. Measures generated tokens per second over the whole
 * run (the usage the server reports), time to first token per request, and how requests ended (200, 429, 5xx,
 * other, or no answer within the timeout: a stalled connection).
 */
final class ServeLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one load did. */
    record Result(int clients, int ok, int rejected, int serverErrors, int otherErrors, int stalled, long tokens,
                  double seconds, List<Double> ttftSeconds) {
        double tokensPerSecond() {
            return tokens / seconds;
        }

        double ttft(double quantile) {
            if (ttftSeconds.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(ttftSeconds);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size())));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String model;
    private final String credential;
    private final int maxTokens;
    private final Duration timeout;

    /** @param credential an API key or access token with the role inference-client (sent as a Bearer token) */
    ServeLoad(String baseUrl, String model, String credential, int maxTokens, Duration timeout) {
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/chat/completions");
        this.model = model;
        this.credential = credential;
        this.maxTokens = maxTokens;
        this.timeout = timeout;
    }

    /** {@code clients} clients at once, each sending {@code requests} requests in a row. */
    Result run(int clients, int requests) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger server = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AtomicInteger stalled = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        List<Double> ttft = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            pool.execute(() -> {
                try {
                    go.await();
                    for (int r = 0; r < requests; r++) {
                        one("Client " + client + ", question " + r + ": how do I create an AUTOINCREMENT field?",
                                ok, rejected, server, other, stalled, tokens, ttft);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        long t0 = System.nanoTime();
        go.countDown();
        long budget = timeout.toSeconds() * requests + 60;
        if (!done.await(budget, TimeUnit.SECONDS)) {
            stalled.addAndGet((int) done.getCount()); // a stream that stopped sending: its client never finished
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdownNow();
        return new Result(clients, ok.get(), rejected.get(), server.get(), other.get(), stalled.get(), tokens.get(),
                seconds, List.copyOf(ttft));
    }

    private void one(String prompt, AtomicInteger ok, AtomicInteger rejected, AtomicInteger server,
                     AtomicInteger other, AtomicInteger stalled, AtomicLong tokens, List<Double> ttft)
            throws InterruptedException {
        long start = System.nanoTime();
        try {
            String body = JSON.writeValueAsString(Map.of("model", model, "max_tokens", maxTokens, "temperature", 0,
                    "stream", true, "stream_options", Map.of("include_usage", true),
                    "messages", List.of(Map.of("role", "user", "content", prompt))));
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + credential)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<java.util.stream.Stream<String>> res = http.send(request,
                    HttpResponse.BodyHandlers.ofLines());
            int status = res.statusCode();
            if (status != 200) {
                res.body().close();
                (status == 429 ? rejected : status >= 500 ? server : other).incrementAndGet();
                return;
            }
            boolean first = true;
            boolean finished = false;
            long generated = 0;
            Iterator<String> lines = res.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    finished = true;
                    break;
                }
                JsonNode chunk = JSON.readTree(data);
                if (chunk.has("error")) {
                    break;
                }
                if (first && !chunk.at("/choices/0/delta/content").asText("").isEmpty()) {
                    ttft.add((System.nanoTime() - start) / 1e9);
                    first = false;
                }
                if (chunk.path("usage").isObject()) {
                    generated = chunk.path("usage").path("completion_tokens").asLong();
                }
            }
            res.body().close();
            if (finished) {
                ok.incrementAndGet();
                tokens.addAndGet(generated);
            } else {
                other.incrementAndGet();
            }
        } catch (HttpTimeoutException e) {
            stalled.incrementAndGet();
        } catch (IOException e) {
            other.incrementAndGet();
        }
    }
}
