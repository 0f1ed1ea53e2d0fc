package dev.tailor.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleRequestTest {

    @TempDir
    Path dir;

    @Test
    void picksTheFirstShortSingleLineQuestion() throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, String.join("\n",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"line one\\nline two\"},{\"role\":\"assistant\",\"content\":\"a\"}]}",
                "not json",
                "{\"messages\":[{\"role\":\"system\",\"content\":\"be nice\"},{\"role\":\"user\",\"content\":\"What's new?\"}]}"));
        assertEquals("What's new?", ExampleRequest.question(data));
        assertEquals(ExampleRequest.FALLBACK_QUESTION, ExampleRequest.question(dir.resolve("missing.jsonl")));
    }

    @Test
    void theQuestionComesFromTheTestSplitOfTheUploadedDataNotAFixedOne() throws Exception {
        Path data = dir.resolve("upload.jsonl");
        Files.writeString(data, "{\"prompt\":\"How do I reset my router?\",\"completion\":\"Hold the button.\"}\n");
        java.io.InputStream test = new java.io.ByteArrayInputStream(("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Why is the light red?\"},{\"role\":\"assistant\",\"content\":\"It lost the line.\"}]}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("Why is the light red?", ExampleRequest.question(test, data));
        assertEquals("How do I reset my router?", ExampleRequest.question(null, data), "no split: the uploaded file");
        org.junit.jupiter.api.Assertions.assertFalse(ExampleRequest.FALLBACK_QUESTION.contains("AUTOINCREMENT"),
                "the fallback does not assume SQLite data");
    }

    @Test
    void curlBodySurvivesTheShell() throws Exception {
        Path data = dir.resolve("d.jsonl");
        Files.writeString(data, "{\"prompt\":\"Isn't it 'quoted' & $HOME?\",\"completion\":\"yes\"}\n");
        String curl = ExampleRequest.curl("http://127.0.0.1:8085", "m-1", data);
        assertTrue(curl.startsWith("curl -s http://127.0.0.1:8085/v1/chat/completions "), curl);
        // the key comes from the environment when the line is pasted (the demo prints `export TAILOR_API_KEY=…`)
        String quoted = curl.substring(curl.indexOf(" -d ") + 4);
        // let a real shell unquote the argument, as it will when the line is pasted
        Process p = new ProcessBuilder("bash", "-c", "printf %s " + quoted).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        JsonNode json = Json.mapper().readTree(body);
        assertEquals("m-1", json.path("model").asText());
        assertEquals("Isn't it 'quoted' & $HOME?", json.path("messages").path(0).path("content").asText());
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "printf %s " + curl.substring(curl.indexOf("-H ") + 3,
                curl.indexOf(" -H 'Content-Type")));
        pb.environment().put("TAILOR_API_KEY", "tlr_0123456789abcdef_k");
        Process h = pb.start();
        assertEquals("Authorization: Bearer tlr_0123456789abcdef_k",
                new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
