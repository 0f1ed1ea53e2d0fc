package dev.tailor.llm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.sun.net.httpserver.HttpServer;
import dev.tailor.llm.Fixture;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.model.Transformer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a loopback HTTP server that serves files the way the Hub does (resolve URLs, LFS redirects). */
class HubClientTest {

    @TempDir
    Path tmp;
    HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // repo "tailor/tiny-sharded": the fixture re-saved as three shards with an index
        Path repo = tmp.resolve("served");
        try (Transformer t = CheckpointLoader.loadModel(Fixture.dir(), NDManager.newBaseManager())) {
            CheckpointWriter.save(repo, t.config(), t.parameters(), Fixture.dir(), SafetensorsWriter.Dtype.F32,
                    200_000);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.add(path);
            auth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            String prefix = "/tailor/tiny-sharded/resolve/main/";
            Path file = null;
            if (path.startsWith(prefix)) {
                String name = path.substring(prefix.length());
                if (name.endsWith(".safetensors")) { // large files live on the LFS CDN
                    ex.getResponseHeaders().add("Location", "/cdn/" + name);
                    ex.sendResponseHeaders(302, -1);
                    ex.close();
                    return;
                }
                file = repo.resolve(name);
            } else if (path.startsWith("/cdn/")) {
                file = repo.resolve(path.substring(5));
            }
            if (file == null || !Files.isRegularFile(file)) {
                byte[] body = "Entry not found".getBytes();
                ex.sendResponseHeaders(404, body.length);
                ex.getResponseBody().write(body);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void downloadsShardedRepoThatLoadsToGoldenLogits() {
        HubClient hub = new HubClient(endpoint(), "hf_secret", tmp.resolve("cache"));
        Path dir = hub.download("tailor/tiny-sharded", null);
        assertTrue(Files.exists(dir.resolve(CheckpointLoader.INDEX)));
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("/cdn/model-00001-of-")), requests.toString());
        assertTrue(auth.stream().allMatch(a -> a.equals("Bearer hf_secret")), auth.toString());
        var golden = Fixture.golden();
        try (LanguageModel m = LanguageModel.load(dir)) {
            float[][] logits = m.logits(Fixture.ints(golden.path("input_ids")), null);
            assertTrue(Fixture.excess(logits, golden.path("logits"), 2e-4, 2e-3) <= 0);
        }
        int before = requests.size();
        assertEquals(dir, hub.download("tailor/tiny-sharded", "main"));
        List<String> again = requests.subList(before, requests.size());
        assertTrue(again.stream().noneMatch(r -> r.contains("safetensors") || r.endsWith("config.json")
                && !r.endsWith("generation_config.json")), "cached files were downloaded again: " + again);
    }

    @Test
    void missingRepoAndBadIdsAreExplained() {
        HubClient hub = new HubClient(endpoint(), null, tmp.resolve("cache"));
        var e = assertThrows(IllegalArgumentException.class, () -> hub.download("nobody/nothing", "main"));
        assertTrue(e.getMessage().contains("404") && e.getMessage().contains("config.json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hub.download("../etc", "main"));
    }
}
