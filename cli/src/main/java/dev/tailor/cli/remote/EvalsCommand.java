package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tailor evals}: list, show, open (eval's API). */
@Command(name = "evals", mixinStandardHelpOptions = true,
        description = "Evaluations on a running Tailor: list, show, open the HTML report.")
public final class EvalsCommand {
    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every evaluation (filter by model or dataset).")
    int list(@Mixin Connection conn, @Option(names = "--model") String model, @Option(names = "--dataset") String dataset) {
        String q = (model != null ? "&model=" + ApiClient.enc(model) : "") + (dataset != null ? "&dataset="
                + ApiClient.enc(dataset) : "");
        JsonNode all = conn.client().get(Service.EVAL, "/v1/evaluations" + (q.isEmpty() ? "" : "?" + q.substring(1)));
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("EVALUATION", "STATE", "MODEL", "DATASET", "VERSION", "VERDICT", "REASON");
        for (JsonNode e : all) {
            t.row(e.path("evaluationId"), e.path("state"), e.path("modelId"), e.path("datasetId"),
                    e.path("datasetVersion"), e.path("verdict"), e.path("reason"));
        }
        t.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One evaluation with its metrics.")
    int show(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode e = conn.client().get(Service.EVAL, "/v1/evaluations/" + ApiClient.enc(id));
        if (conn.json) {
            Table.json(out(), e);
            return 0;
        }
        Table.fields(out(), e, "evaluationId", "state", "trigger", "modelId", "baselineId", "datasetId",
                "datasetVersion", "verdict", "reason", "message", "createdAt", "updatedAt");
        if (e.path("metrics").size() > 0) {
            Table t = new Table("METRIC", "BASE", "TUNED", "GAIN", "95% INTERVAL", "EXAMPLES");
            for (JsonNode m : e.path("metrics")) {
                JsonNode c = m.path("comparison");
                t.row(m.path("label"), num(c.path("meanBase")), num(c.path("meanTuned")), num(c.path("meanGain")),
                        "[" + num(c.at("/interval/lower")) + ", " + num(c.at("/interval/upper")) + "]",
                        c.path("examples"));
            }
            out().println();
            t.print(out());
        }
        if (e.hasNonNull("reportUrl")) {
            out().println("report: " + conn.client().url(Service.EVAL) + e.path("reportUrl").asText());
            out().flush();
        }
        return 0;
    }

    private static String num(JsonNode n) {
        return n.isNumber() ? String.format(java.util.Locale.ROOT, "%.3f", n.asDouble()) : "-";
    }

    @Command(name = "open", mixinStandardHelpOptions = true, description = "Save the HTML report (with its charts) to a"
            + " file and open it in the desktop's browser when there is one.")
    int open(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id,
             @Option(names = {"-o", "--output"}, description = "File to write (default: ./ID.html)") Path output)
            throws IOException {
        String html = conn.client().text(Service.EVAL, "/v1/evaluations/" + ApiClient.enc(id) + "/report.html");
        Path file = output != null ? output : Path.of(id + ".html");
        Files.writeString(file, html);
        out().println("report of " + id + " saved to " + file.toAbsolutePath());
        out().flush();
        if (System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null) {
            try {
                new ProcessBuilder("xdg-open", file.toAbsolutePath().toString()).inheritIO().start();
            } catch (IOException noOpener) {
                out().println("(no xdg-open here: open the file in a browser)");
                out().flush();
            }
        }
        return 0;
    }
}
