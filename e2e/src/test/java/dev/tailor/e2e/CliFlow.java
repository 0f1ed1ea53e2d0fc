package dev.tailor.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.cli.TailorCli;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.json.Json;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Every verb of the CLI against the running stack of {@link PipelineIT} (issue 14): datasets (upload without
 * auto-training, list, show, versions, report, profile, delete), jobs (start by hand with --watch, list, show, watch,
 * cancel of a finished job = the server's 409 problem), evals (list, show, open), models (list, show, delete, which
 * undeploys first), deployments (list, set, rollback), chat (streamed) and watch — each in tables and, where a script
 * would read it, --json. The lifecycle statuses are checked on the way: READY after cleaning without autoTrain, the
 * job started by hand under its dataset.
 */
final class CliFlow {
    private final LocalStack stack;
    private final Path work;
    private final Path keyFile;

    CliFlow(LocalStack stack, Path work, String key) throws Exception {
        this.stack = stack;
        this.work = work;
        // outside the work folder, whose files are searched for secrets later; owner-only, deleted on exit
        this.keyFile = Files.createTempFile("tailor-cli-key", "", java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        keyFile.toFile().deleteOnExit();
        Files.writeString(keyFile, key);
    }

    /** Output and exit code of one CLI run. */
    record Run(int code, String out, String err) {
        JsonNode json() {
            return Json.read(out, JsonNode.class);
        }
    }

    Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--ingest-url", stack.url(TailorService.INGEST), "--training-url",
                stack.url(TailorService.TRAINING), "--eval-url", stack.url(TailorService.EVAL), "--inference-url",
                stack.url(TailorService.INFERENCE), "--api-key-file", keyFile.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = TailorCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        System.out.println("[e2e] tailor " + String.join(" ", args) + " → " + code + "\n" + out + err);
        return new Run(code, out.toString(), err.toString());
    }

    Run ok(String... args) {
        Run r = cli(args);
        assertEquals(0, r.code(), () -> "tailor " + String.join(" ", args) + " failed: " + r.err() + r.out());
        return r;
    }

    void run(Path dataset, String servedModel, String baseModel, String pipelineDataset, ModelEvaluated eval)
            throws Exception {
        // datasets: upload without auto-training → READY, its version, report and profile
        Path upload = work.resolve("cli-upload.jsonl"); // other content than the pipeline's upload: a dataset of its own
        Files.copy(dataset, upload, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        dataset = upload;
        String id = ok("datasets", "upload", dataset.toString(), "--name", "cli-upload", "--json").json()
                .path("datasetId").asText();
        assertFalse(id.isBlank());
        Run watched = ok("watch", id, "--interval", "PT0.5S", "--timeout", "PT5M");
        assertTrue(watched.out().contains("READY"), watched.out());
        JsonNode status = ok("datasets", "show", id, "--json").json();
        assertEquals("READY", status.path("state").asText(), status::toString);
        assertEquals("PENDING", status.at("/stages/training/state").asText());
        assertTrue(ok("datasets", "list").out().contains(id));
        String version = ok("datasets", "versions", id, "--json").json().path(0).path("version").asText();
        assertFalse(version.isBlank());
        Run report = ok("datasets", "report", id);
        assertTrue(report.out().contains("kept:"), report.out());
        assertTrue(ok("datasets", "report", id, version, "--json").json().path("records").asInt() > 0);
        Run profile = ok("datasets", "profile", id);
        assertTrue(profile.out().contains("records:") && profile.out().contains("languages:"), profile.out());
        assertTrue(ok("datasets", "profile", id, "--json").json().path("overall").path("kept").asInt() > 0);

        // an unknown base model is refused at the door, the server's problem printed
        Run refused = cli("datasets", "upload", dataset.toString(), "--auto-train", "--base-model", "no-such-model");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("HTTP 422") && refused.err().contains(baseModel), refused.err());

        // jobs: one started by hand, followed to its end; it shows under its dataset
        JsonNode started = ok("jobs", "start", "--dataset", id, "--base-model", baseModel, "-p", "maxSteps=2",
                "-p", "batchSize=2", "-p", "maxSeqLength=64", "--json").json();
        String jobId = started.path("jobId").asText();
        Run jobWatch = ok("jobs", "watch", jobId);
        assertTrue(jobWatch.out().contains("SUCCEEDED"), jobWatch.out());
        Run evaluated = ok("watch", id, "--interval", "PT0.5S", "--timeout", "PT5M"); // through eval (and deployment)
        assertTrue(evaluated.out().contains("evaluated"), evaluated.out());
        assertTrue(ok("jobs", "list", "--dataset", id).out().contains(jobId));
        JsonNode job = ok("jobs", "show", jobId, "--json").json();
        String modelId = job.path("modelId").asText();
        assertEquals(2, job.path("params").path("schedule").path("maxSteps").asInt(), job::toString);
        Run cancel = cli("jobs", "cancel", jobId);
        assertEquals(1, cancel.code());
        assertTrue(cancel.err().contains("HTTP 409"), cancel.err());
        JsonNode withJob = ok("datasets", "show", id, "--json").json();
        assertEquals(jobId, withJob.at("/jobs/0/jobId").asText(), withJob::toString);

        // evals of the pipeline's model
        assertTrue(ok("evals", "list", "--dataset", pipelineDataset).out().contains(eval.evaluationId()));
        Run evalShow = ok("evals", "show", eval.evaluationId());
        assertTrue(evalShow.out().contains("PROMOTE"), evalShow.out());
        Path html = work.resolve("report.html");
        ok("evals", "open", eval.evaluationId(), "-o", html.toString());
        assertTrue(Files.readString(html).contains("<html"), "the report is HTML");

        // models with lineage, deployments, chat
        assertTrue(ok("models", "list").out().contains(eval.modelId()));
        JsonNode model = ok("models", "show", eval.modelId(), "--json").json();
        assertEquals(pipelineDataset, model.path("dataset_id").asText(), model::toString);
        assertEquals("PROMOTE", model.path("eval_verdict").asText());
        assertTrue(model.path("params").isObject(), model::toString);
        String alias = "cli-" + id.substring(3, 9).toLowerCase(java.util.Locale.ROOT);
        ok("deployments", "set", alias, baseModel);
        ok("deployments", "set", alias, servedModel);
        assertTrue(ok("deployments", "list").out().contains(alias));
        assertEquals(baseModel, ok("deployments", "rollback", alias, "--json").json().path("model").asText());
        Run chat = ok("chat", alias, "-m", "How do I create an AUTOINCREMENT field?", "--max-tokens", "8",
                "--temperature", "0");
        assertTrue(chat.out().startsWith(alias + "> "), chat.out());
        Run pipeline = ok("watch", pipelineDataset);
        assertTrue(pipeline.out().contains("SUCCEEDED"), pipeline.out());

        // deletes: the hand-trained model (undeployed first, if its evaluation deployed it), then the dataset
        JsonNode deleted = ok("models", "delete", modelId, "--json").json();
        assertTrue(deleted.path("deleted").asBoolean(), deleted::toString);
        assertEquals(1, cli("models", "show", modelId).code());
        Run erased = ok("datasets", "delete", id);
        assertTrue(erased.out().contains("erased dataset " + id), erased.out());
        Run gone = cli("datasets", "show", id);
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("HTTP 404") && gone.err().contains("Unknown dataset"), gone.err());
    }
}
