package dev.tailor.cli.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.cli.TailorCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The verbs' wiring, where URLs and the key come from, and how a server's refusal is told (no server needed). */
class RemoteCommandsTest {
    @Test
    void everyVerbHasHelp() {
        for (List<String> verb : List.of(List.of("datasets", "upload"), List.of("datasets", "list"),
                List.of("datasets", "show"), List.of("datasets", "versions"), List.of("datasets", "report"),
                List.of("datasets", "profile"), List.of("datasets", "delete"), List.of("datasets", "reclean"),
                List.of("datasets", "diff"), List.of("sources", "add"),
                List.of("sources", "list"), List.of("sources", "show"), List.of("sources", "sync"),
                List.of("sources", "delete"), List.of("jobs", "start"),
                List.of("jobs", "list"), List.of("jobs", "show"), List.of("jobs", "watch"), List.of("jobs", "cancel"),
                List.of("evals", "list"), List.of("evals", "show"), List.of("evals", "open"), List.of("models", "list"),
                List.of("models", "show"), List.of("models", "delete"), List.of("deployments", "list"),
                List.of("deployments", "set"), List.of("deployments", "rollback"), List.of("chat"), List.of("watch"),
                List.of("up"), List.of("down"))) {
            StringWriter out = new StringWriter();
            CommandLine cli = TailorCli.commandLine();
            cli.setOut(new PrintWriter(out));
            String[] args = new java.util.ArrayList<String>(verb) {{ add("--help"); }}.toArray(String[]::new);
            assertEquals(0, cli.execute(args), verb.toString());
            assertTrue(out.toString().contains("Usage: tailor " + String.join(" ", verb)), out.toString());
        }
    }

    @Test
    void urlsAndKeyComeFromFlagsThenEnvironmentThenTheConfigFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "url=https://tailor.example.com/\napi-key=from-config\ninference-url=http://gpu:9000\n");
        Connection c = new Connection().environment(Map.of("TAILOR_CONFIG", config.toString(),
                "TAILOR_TRAINING_URL", "http://trainer:8083"));
        ApiClient api = c.client();
        assertEquals("https://tailor.example.com", api.url(Service.INGEST));
        assertEquals("http://trainer:8083", api.url(Service.TRAINING));
        assertEquals("http://gpu:9000", api.url(Service.INFERENCE));
        c.ingestUrl = "http://flag:1";
        assertEquals("http://flag:1", c.client().url(Service.INGEST));
    }

    @Test
    void aProblemDetailOrAnOpenAiErrorIsTheMessage() {
        ApiClient.ApiException p = ApiClient.refusal(404, "{\"title\":\"Unknown dataset\",\"status\":404,"
                + "\"detail\":\"no dataset 'x'\"}", Service.INGEST, "/v1/datasets/x");
        assertTrue(p.getMessage().contains("HTTP 404") && p.getMessage().contains("Unknown dataset: no dataset 'x'"),
                p.getMessage());
        ApiClient.ApiException o = ApiClient.refusal(409, "{\"error\":{\"message\":\"base model\",\"code\":"
                + "\"model_not_deletable\"}}", Service.INFERENCE, "/v1/models/b");
        assertTrue(o.getMessage().contains("base model (model_not_deletable)"), o.getMessage());
        JsonNode body = o.body();
        assertEquals("model_not_deletable", body.at("/error/code").asText());
    }

    @Test
    void recleanSettingsComeFromAFileThenSingleSettings(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{\"quality\": {\"minChars\": 20, \"maxChars\": 9000}, \"redactPii\": true}");
        JsonNode s = CleaningSettingsArgs.settings(file, List.of("quality.minChars=200", "redactPii=false",
                "languages=[\"en\",\"de\"]", "systemPrompt=You are helpful"));
        assertEquals(200, s.at("/quality/minChars").asInt());
        assertEquals(9000, s.at("/quality/maxChars").asInt(), "the file's other settings stay");
        assertTrue(s.get("redactPii").isBoolean() && !s.get("redactPii").asBoolean());
        assertEquals(2, s.get("languages").size());
        assertEquals("You are helpful", s.get("systemPrompt").asText());
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CleaningSettingsArgs.settings(null, List.of()));
        assertTrue(none.getMessage().contains("--set"), none.getMessage());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CleaningSettingsArgs.settings(null, List.of("minChars")));
        assertTrue(bad.getMessage().contains("KEY=VALUE"), bad.getMessage());
    }

    @Test
    void parameterValuesAreNumbersBooleansOrText() {
        assertTrue(JobsCommand.value("2").isInt());
        assertTrue(JobsCommand.value("0.001").isDouble());
        assertTrue(JobsCommand.value("true").isBoolean());
        assertEquals("cosine", JobsCommand.value("cosine").asText());
    }

    @Test
    void aSourceIsSentWithItsSettingsAndOnlyTheNameOfItsSecret() {
        JsonNode b = SourcesCommand.body("imap", "support-mail", null, List.of("host=imap.example.com", "port=993",
                "folders=INBOX,Support"), "support-imap", "PT15M", "{\"emailThreads\": \"pairs\"}", false, null);
        assertEquals("imap", b.path("kind").asText());
        assertEquals("INBOX,Support", b.at("/connection/folders").asText());
        assertEquals("993", b.at("/connection/port").asText());
        assertEquals("support-imap", b.path("credentialsRef").asText());
        assertEquals("pairs", b.at("/cleaning/emailThreads").asText());
        assertTrue(b.path("datasetId").isMissingNode());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SourcesCommand.body("s3", null, null, List.of("bucket"), null, null, null, false, null));
        assertTrue(e.getMessage().contains("KEY=VALUE"), e.getMessage());
    }
}
