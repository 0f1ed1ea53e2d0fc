package dev.tailor.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The few HTTP calls the demo makes, with its API key: dataset upload on ingest, the evaluation on eval, model listing on inference. */
final class DemoHttp {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String authorization;

    DemoHttp(String apiKey) {
        this.authorization = "Bearer " + apiKey;
    }

    /** {@code POST /v1/datasets?name=&autoTrain=true&baseModel=} with the JSONL file as body; returns the datasetId. */
    String uploadDataset(String ingestUrl, Path jsonl, String name, String baseModel)
            throws IOException, InterruptedException {
        URI uri = URI.create(ingestUrl + "/v1/datasets?name=" + enc(name) + "&autoTrain=true&baseModel="
                + enc(baseModel));
        HttpRequest req = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-ndjson").header("Authorization", authorization)
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofFile(jsonl))
                .build();
        HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 202 && res.statusCode() != 201 && res.statusCode() != 200) {
            throw new IllegalStateException("ingest answered " + res.statusCode() + " to the upload: " + res.body());
        }
        JsonNode body = Json.mapper().readTree(res.body());
        String id = body.path("datasetId").asText("");
        if (id.isEmpty()) {
            throw new IllegalStateException("ingest accepted the upload but returned no datasetId: " + res.body());
        }
        return id;
    }

    /** Ids from {@code GET /v1/models} on inference; empty when it does not answer yet. */
    List<String> modelIds(String inferenceUrl) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(inferenceUrl + "/v1/models"))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build();
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 200) {
                for (JsonNode m : Json.mapper().readTree(res.body()).path("data")) {
                    ids.add(m.path("id").asText());
                }
            }
        } catch (IOException notYet) {
            // inference not answering yet: the caller polls again
        }
        return ids;
    }

    /** {@code GET /v1/evaluations/{id}} on eval: the evaluation with its metrics; null when it does not answer. */
    JsonNode evaluation(String evalUrl, String evaluationId) throws InterruptedException {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(evalUrl + "/v1/evaluations/" + enc(evaluationId)))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build();
            HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
            return res.statusCode() == 200 ? Json.mapper().readTree(res.body()) : null;
        } catch (IOException unavailable) {
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
