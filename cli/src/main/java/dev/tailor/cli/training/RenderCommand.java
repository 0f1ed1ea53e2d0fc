package dev.tailor.cli.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tailor training render}: the exact objects a training request would submit (a batch/v1 Job, a Kubeflow
 * TrainJob, or the local worker's command and spec), as YAML, for review and {@code kubectl diff -f -}. The training
 * service plans the job as for a real request (dataset, base model, parameters, preflight and placement) and creates
 * nothing: {@code POST /v1/training-jobs?dryRun=true}, as a trainer of the tenant ({@code TAILOR_API_KEY} or
 * {@code TAILOR_TOKEN}).
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Print the Kubernetes objects (YAML) a training job would submit, without submitting it.")
public final class RenderCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8083",
            description = "The training service (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--dataset", required = true, description = "Dataset id.")
    String dataset;

    @Option(names = "--version", description = "Dataset version (default: the latest).")
    String version;

    @Option(names = "--base-model", description = "Base model (default: the service's).")
    String baseModel;

    @Option(names = "--params", description = "Training parameters: a JSON object, or @file.json.")
    String params;

    @Option(names = "--backend", description = "auto, local, kubernetes or kubeflow (sets params.compute.backend).")
    String backend;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("datasetId", dataset);
        if (version != null) {
            body.put("datasetVersion", version);
        }
        if (baseModel != null) {
            body.put("baseModel", baseModel);
        }
        ObjectNode p = params == null ? Json.mapper().createObjectNode() : (ObjectNode) readParams(params);
        if (backend != null) {
            p.with("compute").put("backend", backend);
        }
        body.set("params", p);
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/v1/training-jobs?dryRun=true"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + dev.tailor.cli.support.Credentials.fromEnvironment(
                        "a key with the trainer role"))
                .header("Accept", "application/yaml, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        PrintWriter out = spec.commandLine().getOut();
        if (response.statusCode() != 200) {
            JsonNode problem = Json.read(response.body(), JsonNode.class);
            throw new IllegalStateException(response.statusCode() + " " + problem.path("title").asText() + ": "
                    + problem.path("detail").asText(response.body()));
        }
        out.print(response.body());
        out.flush();
        return 0;
    }

    private static JsonNode readParams(String value) throws java.io.IOException {
        String json = value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value;
        JsonNode node = Json.mapper().readTree(json);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("--params must be a JSON object, e.g. {\"lora\":{\"rank\":16}}");
        }
        return node;
    }
}
