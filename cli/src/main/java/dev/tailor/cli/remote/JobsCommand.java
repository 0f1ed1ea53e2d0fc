package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.cli.support.ProgressBar;
import dev.tailor.common.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tailor jobs}: start, list, show, watch, cancel (training's API). */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Training jobs on a running Tailor: start, list, show, watch, cancel.")
public final class JobsCommand {
    static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a training job on a dataset.")
    int start(@Mixin Connection conn,
              @Option(names = "--dataset", required = true, description = "Dataset id") String dataset,
              @Option(names = "--dataset-version", description = "Dataset version (default: the newest)") String version,
              @Option(names = "--base-model", description = "Base model (default: the service's)") String baseModel,
              @Option(names = "--parent-model", description = "A tuned model to train further") String parent,
              @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
                      description = "A training parameter, e.g. -p epochs=2 -p learningRate=0.001") List<String> params,
              @Option(names = "--watch", description = "Follow the job until it ends") boolean watch) {
        ObjectNode body = Json.mapper().createObjectNode().put("datasetId", dataset);
        if (version != null) {
            body.put("datasetVersion", version);
        }
        if (baseModel != null) {
            body.put("baseModel", baseModel);
        }
        if (parent != null) {
            body.put("parentModel", parent);
        }
        if (params != null) {
            ObjectNode p = body.putObject("params");
            for (String kv : params) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--param takes NAME=VALUE, got '" + kv + "'");
                }
                p.set(kv.substring(0, eq), value(kv.substring(eq + 1)));
            }
        }
        ApiClient api = conn.client();
        JsonNode r = api.post(Service.TRAINING, "/v1/training-jobs", body);
        if (conn.json && !watch) {
            Table.json(out(), r);
            return 0;
        }
        Table.fields(out(), r, "jobId", "modelId", "state", "created");
        return watch ? follow(api, r.path("jobId").asText(), conn.json) : 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every job (durable), newest first.")
    int list(@Mixin Connection conn, @Option(names = "--dataset", description = "Only this dataset's") String dataset) {
        JsonNode all = conn.client().get(Service.TRAINING, "/v1/training-jobs");
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("JOB", "STATE", "DATASET", "VERSION", "BASE", "MODEL", "STEP", "LOSS", "CREATED");
        for (JsonNode j : all) {
            if (dataset == null || dataset.equals(j.path("datasetId").asText())) {
                t.row(j.path("jobId"), j.path("state"), j.path("datasetId"), j.path("datasetVersion"),
                        j.path("baseModel"), j.path("modelId"), j.path("step").asInt() + "/" + j.path("totalSteps").asInt(),
                        loss(j.path("loss")), j.path("createdAt"));
            }
        }
        t.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One job: state, progress, parameters.")
    int show(@Mixin Connection conn, @Parameters(paramLabel = "JOB") String jobId) {
        JsonNode j = conn.client().get(Service.TRAINING, "/v1/training-jobs/" + ApiClient.enc(jobId));
        if (conn.json) {
            Table.json(out(), j);
            return 0;
        }
        Table.fields(out(), j, "jobId", "state", "modelId", "datasetId", "datasetVersion", "baseModel", "step",
                "totalSteps", "epoch", "loss", "validationLoss", "tokensPerSecond", "etaSeconds", "message", "adapter",
                "attempt", "lastFailure", "createdAt", "updatedAt", "params");
        return 0;
    }

    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a job with a progress bar until it"
            + " ends; exit code 0 when it succeeded.")
    int watch(@Mixin Connection conn, @Parameters(paramLabel = "JOB") String jobId) {
        return follow(conn.client(), jobId, conn.json);
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running job.")
    int cancel(@Mixin Connection conn, @Parameters(paramLabel = "JOB") String jobId) {
        JsonNode j = conn.client().delete(Service.TRAINING, "/v1/training-jobs/" + ApiClient.enc(jobId));
        if (conn.json) {
            Table.json(out(), j);
        } else {
            out().println("cancelling " + jobId + " (state " + j.path("state").asText() + ")");
            out().flush();
        }
        return 0;
    }

    private int follow(ApiClient api, String jobId, boolean json) {
        PrintWriter err = spec.commandLine().getErr();
        JsonNode j;
        while (true) {
            j = api.get(Service.TRAINING, "/v1/training-jobs/" + ApiClient.enc(jobId));
            String state = j.path("state").asText();
            int step = j.path("step").asInt();
            int total = j.path("totalSteps").asInt();
            err.print("\r  " + jobId + " " + state + " " + (total > 0 ? ProgressBar.bar(step, total, 30) + " " + step + "/"
                    + total : "") + loss(j.path("loss")).transform(l -> l.equals("-") ? "" : " loss " + l)
                    + (j.hasNonNull("etaSeconds") && !FINISHED.contains(state) ? " ETA "
                    + ProgressBar.seconds(j.path("etaSeconds").asDouble()) : "") + "   ");
            err.flush();
            if (FINISHED.contains(state)) {
                break;
            }
            sleep(Duration.ofSeconds(1));
        }
        err.println();
        if (json) {
            Table.json(out(), j);
        } else {
            out().println(jobId + " " + j.path("state").asText() + (j.hasNonNull("message") ? ": "
                    + j.path("message").asText() : "") + (j.hasNonNull("modelId") ? " (model " + j.path("modelId").asText()
                    + ")" : ""));
            out().flush();
        }
        return "SUCCEEDED".equals(j.path("state").asText()) ? 0 : 1;
    }

    static String loss(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "-";
    }

    /** A parameter value: a number, true/false, else a string. */
    static JsonNode value(String v) {
        try {
            return Json.mapper().readTree(v).isValueNode() ? Json.mapper().readTree(v)
                    : Json.mapper().getNodeFactory().textNode(v);
        } catch (java.io.IOException | RuntimeException notJson) {
            return Json.mapper().getNodeFactory().textNode(v);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
