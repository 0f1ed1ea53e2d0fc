package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.Terminal;
import dev.tailor.common.status.PipelineStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tailor watch DATASET}: the pipeline of one dataset, live, from ingest's status (the same reducer the demo's
 * view uses): a line per finished stage with its figures, a live line for the running one (training: a progress bar,
 * loss, tokens/s, ETA). Ends when the dataset is READY (cleaned, nothing to train), SUCCEEDED, REJECTED or FAILED;
 * the exit code is 0 unless it FAILED.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow a dataset through the pipeline, live, until it is ready, served, rejected or failed.")
public final class WatchCommand implements Callable<Integer> {
    static final Set<String> ENDS = Set.of("READY", "SUCCEEDED", "REJECTED", "FAILED");

    @Spec
    CommandSpec spec;

    @Mixin
    Connection conn;

    @Parameters(paramLabel = "DATASET", description = "Dataset id")
    String datasetId;

    @Option(names = "--timeout", defaultValue = "PT2H", description = "Longest wait, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--interval", defaultValue = "PT1S", description = "Time between polls (default ${DEFAULT-VALUE})")
    Duration interval;

    @Override
    public Integer call() {
        ApiClient api = conn.client();
        Terminal term = new Terminal(new PrintStream(new WriterStream(spec), true), System.console() != null);
        Map<String, String> shown = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long start = System.nanoTime();
        term.line(term.bold("dataset " + datasetId) + " on " + api.url(Service.INGEST));
        JsonNode s;
        while (true) {
            s = api.get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(datasetId));
            String live = null;
            for (String stage : PipelineStatus.STAGES) {
                JsonNode st = s.path("stages").path(stage);
                String state = st.path("state").asText();
                String key = state + "|" + st.path("details").path("jobId").asText("");
                if (!key.equals(shown.get(stage)) && Set.of("DONE", "FAILED", "SKIPPED", "CANCELLED").contains(state)) {
                    shown.put(stage, key);
                    term.line(label(stage) + (state.equals("DONE") ? term.green("✓ ") : term.red("✗ ")) + summary(stage, st));
                } else if (state.equals("RUNNING") || state.equals("QUEUED")) {
                    live = label(stage) + progress(stage, st);
                }
            }
            String state = s.path("state").asText();
            if (ENDS.contains(state) && live == null) {
                break;
            }
            if (live != null) {
                term.live(live + "  " + ProgressBar.elapsed(start));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("dataset " + datasetId + " is still " + state + " after "
                        + ProgressBar.duration(timeout) + "; raise --timeout");
            }
            JobsCommand.sleep(interval);
        }
        for (JsonNode e : s.path("errors")) {
            term.line(term.red("error") + " (" + e.path("stage").asText() + "): " + e.path("message").asText());
        }
        term.line(term.bold(s.path("state").asText()) + switch (s.path("state").asText()) {
            case "READY" -> ": cleaned; start training with `tailor jobs start --dataset " + datasetId + "`";
            case "SUCCEEDED" -> ": served as " + s.at("/stages/deployed/details/alias").asText("?")
                    + "; try `tailor chat " + s.at("/stages/deployed/details/alias").asText("MODEL") + "`";
            case "REJECTED" -> ": " + s.at("/stages/evaluated/details/reason").asText("");
            default -> "";
        });
        return "FAILED".equals(s.path("state").asText()) ? 1 : 0;
    }

    static String label(String stage) {
        return String.format(Locale.ROOT, "  %-10s ", stage);
    }

    private static String summary(String stage, JsonNode st) {
        JsonNode d = st.path("details");
        return switch (stage) {
            case "ingested" -> d.path("records").asText() + " records (" + d.path("format").asText() + ")";
            case "cleaned" -> "version " + d.path("version").asText() + ": train " + d.path("train").asText()
                    + " · validation " + d.path("validation").asText() + " · test " + d.path("test").asText();
            case "training" -> "job " + d.path("jobId").asText() + " " + st.path("state").asText().toLowerCase(Locale.ROOT)
                    + (d.hasNonNull("message") ? ": " + d.path("message").asText() : "");
            case "trained" -> "model " + d.path("modelId").asText() + " · train loss " + JobsCommand.loss(d.path("trainLoss"))
                    + " · validation loss " + JobsCommand.loss(d.path("validationLoss"));
            case "evaluated" -> d.path("verdict").asText() + ": " + d.path("reason").asText();
            case "deployed" -> d.hasNonNull("alias") ? "alias " + d.path("alias").asText() + " → " + d.path("modelId").asText()
                    : d.path("reason").asText(st.path("state").asText());
            default -> st.path("state").asText();
        };
    }

    private static String progress(String stage, JsonNode st) {
        JsonNode d = st.path("details");
        int step = d.path("step").asInt();
        int total = d.path("totalSteps").asInt();
        if (!stage.equals("training") || total == 0) {
            return st.path("state").asText().toLowerCase(Locale.ROOT);
        }
        return ProgressBar.bar(step, total, 20) + " step " + step + "/" + total + " · loss " + JobsCommand.loss(d.path("loss"))
                + (d.hasNonNull("tokensPerSecond") ? " · " + Math.round(d.path("tokensPerSecond").asDouble()) + " tok/s" : "")
                + (d.hasNonNull("etaSeconds") ? " · ETA " + ProgressBar.seconds(d.path("etaSeconds").asDouble()) : "");
    }

    /** The command line's writer as a stream, for {@link Terminal}. */
    private static final class WriterStream extends java.io.OutputStream {
        private final CommandSpec spec;

        WriterStream(CommandSpec spec) {
            this.spec = spec;
        }

        @Override
        public void write(int b) {
            spec.commandLine().getOut().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            spec.commandLine().getOut().write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            spec.commandLine().getOut().flush();
        }
    }
}
