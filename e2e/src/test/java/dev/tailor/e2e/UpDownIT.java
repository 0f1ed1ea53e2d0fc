package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tailor up} / {@code down} as a user runs them, in a folder of its own (the tiny fixture as base model, no
 * training): up returns with stack.json written, a second up refuses to start another, down stops every process
 * of the stack, and the next up still lists the dataset uploaded before.
 */
class UpDownIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Process cli(Path home, Path log, String... args) throws Exception {
        Path root = Path.of(System.getProperty("tailor.home", "..")).toAbsolutePath().normalize();
        Path services = Path.of(System.getProperty("tailor.services.root", root.toString()));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dtailor.home=" + home, "-cp", System.getProperty("java.class.path"), "dev.tailor.cli.TailorCli"));
        cmd.addAll(List.of(args));
        if (args[0].equals("up")) {
            Path model = Path.of(UpDownIT.class.getResource("/tiny-llama/config.json").toURI()).getParent();
            cmd.addAll(List.of("--base-model", model.toString(), "--services-root", services.toString()));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int run(Path home, Path log, String... args) throws Exception {
        long t = System.nanoTime();
        Process p = cli(home, log, args);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), args[0] + " did not return: " + Files.readString(log));
        System.out.printf("[e2e] tailor %s → %d (%.1f s)%n", String.join(" ", args), p.exitValue(),
                (System.nanoTime() - t) / 1e9);
        return p.exitValue();
    }

    private static HttpResponse<String> ingest(JsonNode info, HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.header("Authorization", "Bearer " + info.path("apiKey").asText()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void upStaysUpDownStopsEverythingAndTheNextUpKeepsTheData(@TempDir Path home) throws Exception {
        Path stack = home.resolve(".tailor/stack");
        assertEquals(0, run(home, home.resolve("up1.out"), "up"), () -> read(home.resolve("up1.out")));
        JsonNode info = Json.read(Files.readAllBytes(stack.resolve("stack.json")), JsonNode.class);
        long pid = info.path("pid").asLong();
        ProcessHandle holder = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> children = holder.descendants().toList();
        assertTrue(children.size() >= 7, "Kafka, S3 and six services: " + children.size());

        // a second up starts nothing: it names the running one
        assertEquals(0, run(home, home.resolve("up2.out"), "up"));
        assertTrue(read(home.resolve("up2.out")).contains("already running (pid " + pid + ")"),
                read(home.resolve("up2.out")));
        assertEquals(children.size(), holder.descendants().count());

        String ingest = info.path("urls").path("ingest").asText();
        HttpResponse<String> up = ingest(info, HttpRequest.newBuilder(URI.create(ingest
                + "/v1/datasets?name=kept&autoTrain=false")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Path.of(UpDownIT.class
                        .getResource("/support-mini.jsonl").toURI())))));
        assertEquals(202, up.statusCode(), up::body);
        String datasetId = Json.mapper().readTree(up.body()).path("datasetId").asText();

        assertEquals(0, run(home, home.resolve("down1.out"), "down"), () -> read(home.resolve("down1.out")));
        assertFalse(holder.isAlive(), "the holder stopped");
        for (ProcessHandle c : children) {
            assertTrue(c.onExit().get(30, TimeUnit.SECONDS) != null && !c.isAlive(), "still running: " + c.pid());
        }
        assertFalse(Files.exists(stack.resolve("stack.json")));

        assertEquals(0, run(home, home.resolve("up3.out"), "up"), () -> read(home.resolve("up3.out")));
        JsonNode again = Json.read(Files.readAllBytes(stack.resolve("stack.json")), JsonNode.class);
        HttpResponse<String> list = ingest(again, HttpRequest.newBuilder(URI.create(
                again.path("urls").path("ingest").asText() + "/v1/datasets")).GET());
        assertEquals(200, list.statusCode(), list::body);
        assertTrue(list.body().contains(datasetId), "the dataset uploaded before down: " + list.body());
        assertEquals(0, run(home, home.resolve("down2.out"), "down"));
        assertFalse(ProcessHandle.of(again.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no output)";
        }
    }
}
