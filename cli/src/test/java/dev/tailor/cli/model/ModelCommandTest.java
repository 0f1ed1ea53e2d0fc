package dev.tailor.cli.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The script-facing forms of {@code tailor model}, checked against the fixture's golden values. */
class ModelCommandTest {

    @TempDir
    Path tmp;

    static Path fixture() throws URISyntaxException {
        return Path.of(ModelCommandTest.class.getResource("/tiny-llama/config.json").toURI()).getParent();
    }

    /** Runs the command and returns its stdout; fails on a non-zero exit. */
    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new ModelCommand()).execute(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, "exit code of model " + String.join(" ", args));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logitsPrintsGoldenLogitsAsJson() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(fixture().resolve("golden.json").toFile());
        JsonNode ids = golden.path("input_ids");
        StringBuilder csv = new StringBuilder();
        ids.forEach(n -> csv.append(csv.length() == 0 ? "" : ",").append(n.asInt()));
        for (String adapter : new String[] {null, "adapter"}) {
            String out = adapter == null
                    ? run("logits", "--model", fixture().toString(), "--ids", csv.toString())
                    : run("logits", "--model", fixture().toString(), "--adapter", fixture().resolve(adapter).toString(),
                    "--ids", csv.toString());
            JsonNode got = new ObjectMapper().readTree(out).path("logits");
            JsonNode want = golden.path(adapter == null ? "logits" : "logits_with_adapter");
            assertEquals(want.size(), got.size());
            for (int t = 0; t < want.size(); t++) {
                for (int v = 0; v < want.get(t).size(); v++) {
                    double w = want.get(t).get(v).asDouble();
                    assertTrue(Math.abs(got.get(t).get(v).asDouble() - w) <= 2e-4 + 2e-3 * Math.abs(w));
                }
            }
        }
    }

    @Test
    void generateJsonGivesGoldenGreedyIds() throws Exception {
        JsonNode g = new ObjectMapper().readTree(fixture().resolve("golden.json").toFile()).path("greedy");
        StringBuilder csv = new StringBuilder();
        g.path("prompt_ids").forEach(n -> csv.append(csv.length() == 0 ? "" : ",").append(n.asInt()));
        String out = run("generate", "--model", fixture().toString(), "--ids", csv.toString(), "--max-new-tokens",
                String.valueOf(g.path("max_new_tokens").asInt()), "--greedy", "--json");
        JsonNode json = new ObjectMapper().readTree(out);
        assertEquals(g.path("output_ids"), json.path("ids"));
        assertTrue(json.path("tokens_per_second").asDouble() > 0);
        assertEquals(1, out.strip().lines().count(), "only JSON on stdout: " + out);
    }

    @Test
    void generateStreamsTextForAPrompt() throws Exception {
        String out = run("generate", "--model", fixture().toString(), "--prompt", "Hello", "--max-new-tokens", "8",
                "--seed", "1");
        assertTrue(out.startsWith("Hello"), out);
    }

    @Test
    void mergeWritesACheckpointThatImportAccepts() throws Exception {
        Path merged = tmp.resolve("merged");
        run("merge", "--model", fixture().toString(), "--adapter", fixture().resolve("adapter").toString(),
                "--out", merged.toString());
        assertTrue(Files.exists(merged.resolve("model.safetensors")));
        assertTrue(Files.exists(merged.resolve("tokenizer.json")));
        JsonNode golden = new ObjectMapper().readTree(fixture().resolve("golden.json").toFile());
        String out = run("logits", "--model", merged.toString(), "--ids", "1,75,104");
        JsonNode got = new ObjectMapper().readTree(out).path("logits");
        double w = golden.path("logits_with_adapter").get(2).get(7).asDouble();
        assertEquals(w, got.get(2).get(7).asDouble(), 1e-3);
        Path imported = tmp.resolve("imported");
        run("import", merged.toString(), "--out", imported.toString());
        assertTrue(Files.exists(imported.resolve("config.json")) && Files.exists(imported.resolve("model.safetensors")));
    }
}
