package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.cli.support.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tailor datasets}: upload, list, show, versions, report, profile, reclean, diff, delete (ingest's API). */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Datasets on a running Tailor: upload, list, show, versions, report, profile, reclean, diff, delete.")
public final class DatasetsCommand {
    private static final Map<String, String> TYPES = Map.ofEntries(Map.entry("jsonl", "application/x-ndjson"),
            Map.entry("ndjson", "application/x-ndjson"), Map.entry("json", "application/json"),
            Map.entry("csv", "text/csv"), Map.entry("tsv", "text/tab-separated-values"), Map.entry("txt", "text/plain"),
            Map.entry("md", "text/markdown"), Map.entry("html", "text/html"), Map.entry("htm", "text/html"),
            Map.entry("eml", "message/rfc822"), Map.entry("mbox", "application/mbox"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("tgz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("pdf", "application/pdf"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));

    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "upload", mixinStandardHelpOptions = true, description = "Upload a file as a new dataset (or a new"
            + " version of one with --version-of); prints its id. Follow it with `tailor watch ID`.")
    int upload(@Mixin Connection conn, @Parameters(paramLabel = "FILE") Path file,
               @Option(names = "--name", description = "Dataset name (default: the file name)") String name,
               @Option(names = "--auto-train", description = "Train as soon as it is cleaned") boolean autoTrain,
               @Option(names = "--base-model", description = "Base model to fine-tune (auto-train)") String baseModel,
               @Option(names = "--version-of", description = "Upload as a new version of this dataset id") String versionOf,
               @Option(names = "--content-type", description = "Content type (default: from the extension)") String type) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file");
        }
        String fileName = file.getFileName().toString();
        String ext = fileName.contains(".") ? fileName.substring(fileName.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        String contentType = type != null ? type : TYPES.getOrDefault(ext, "application/octet-stream");
        StringBuilder q = new StringBuilder("?filename=").append(ApiClient.enc(fileName))
                .append("&name=").append(ApiClient.enc(name != null ? name : fileName));
        if (autoTrain) {
            q.append("&autoTrain=true");
        }
        if (baseModel != null) {
            q.append("&baseModel=").append(ApiClient.enc(baseModel));
        }
        String path = "/v1/datasets" + (versionOf != null ? "/" + ApiClient.enc(versionOf) + "/versions" : "") + q;
        long size = size(file);
        PrintWriter err = spec.commandLine().getErr();
        long[] shown = {0};
        JsonNode r;
        try {
            r = conn.client().upload(Service.INGEST, path, file, contentType, sent -> {
                if (sent - shown[0] >= (1 << 20) || sent == size) {
                    shown[0] = sent;
                    err.print("\r  upload " + ProgressBar.bar(sent, size, 30) + " " + ProgressBar.bytes(sent) + " / "
                            + ProgressBar.bytes(size));
                    err.flush();
                }
            });
        } finally {
            err.println();
            err.flush();
        }
        if (conn.json) {
            Table.json(out(), r);
        } else {
            Table.fields(out(), r, "datasetId", "version", "records", "rejectedRecords", "format", "duplicate", "status");
            out().println("follow it: tailor watch " + r.path("datasetId").asText());
            out().flush();
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every dataset with its pipeline state.")
    int list(@Mixin Connection conn) {
        JsonNode all = conn.client().get(Service.INGEST, "/v1/datasets");
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("ID", "NAME", "STATE", "STAGE", "VERSIONS", "JOBS", "CREATED");
        for (JsonNode d : all) {
            t.row(d.path("datasetId"), d.path("name"), d.path("state"), d.path("stage"), d.path("versions").size(),
                    d.path("jobs").size(), d.path("created"));
        }
        t.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A dataset's stages, versions and jobs.")
    int show(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode d = conn.client().get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id));
        if (conn.json) {
            Table.json(out(), d);
            return 0;
        }
        Table.fields(out(), d, "datasetId", "name", "state", "stage", "created", "updated");
        Table stages = new Table("STAGE", "STATE", "AT", "DETAILS");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.path("stages").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            stages.row(e.getKey(), e.getValue().path("state"), e.getValue().path("at"), brief(e.getValue().path("details")));
        }
        out().println();
        stages.print(out());
        if (d.path("jobs").size() > 0) {
            out().println();
            Table jobs = new Table("JOB", "STATE", "VERSION", "MODEL", "VERDICT", "REASON", "DEPLOYED AS");
            for (JsonNode j : d.path("jobs")) {
                jobs.row(j.path("jobId"), j.path("state"), j.path("datasetVersion"), j.path("modelId"),
                        j.path("verdict"), j.path("reason"), j.path("deployedAs"));
            }
            jobs.print(out());
        }
        for (JsonNode e : d.path("errors")) {
            out().println("error (" + e.path("stage").asText() + "): " + e.path("message").asText());
        }
        out().flush();
        return 0;
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "Every cleaned version of a dataset.")
    int versions(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode all = conn.client().get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id) + "/versions");
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("VERSION", "TRAIN", "VALIDATION", "TEST", "CLEANED AT");
        for (JsonNode v : all) {
            t.row(v.path("version"), v.path("counts").path("train"), v.path("counts").path("validation"),
                    v.path("counts").path("test"), v.path("at"));
        }
        t.print(out());
        return 0;
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "The cleaning report of a version"
            + " (default: the newest): records read and kept, the count of every rule.")
    int report(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id,
               @Parameters(paramLabel = "VERSION", arity = "0..1") String version) {
        ApiClient api = conn.client();
        String v = version != null ? version : newestVersion(api, id);
        JsonNode r = api.get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id) + "/versions/" + ApiClient.enc(v) + "/report");
        if (conn.json) {
            Table.json(out(), r);
            return 0;
        }
        out().println("dataset " + id + " version " + v);
        Table.fields(out(), r, "records", "kept", "splits", "seconds", "recordsPerSecond", "rulesVersion");
        Table rules = new Table("RULE", "COUNT");
        r.path("counts").fields().forEachRemaining(e -> rules.row(e.getKey(), e.getValue()));
        out().println();
        rules.print(out());
        return 0;
    }

    @Command(name = "profile", mixinStandardHelpOptions = true, description = "The profile of a version (default: the"
            + " newest): records, drop rate per rule, duplicates, personal data, language mix, lengths.")
    int profile(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id,
                @Parameters(paramLabel = "VERSION", arity = "0..1") String version) {
        ApiClient api = conn.client();
        String v = version != null ? version : newestVersion(api, id);
        JsonNode p = api.get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id) + "/versions/" + ApiClient.enc(v) + "/profile");
        if (conn.json) {
            Table.json(out(), p);
            return 0;
        }
        out().println("dataset " + id + " version " + v);
        JsonNode all = p.path("overall");
        if (p.has("lengthUnit")) {
            out().println("lengths in " + p.path("lengthUnit").asText() + (p.has("tokenizerName")
                    ? " of " + p.path("tokenizerName").asText() : " (" + p.path("tokenizerNote").asText() + ")"));
        }
        Table.fields(out(), all, "records", "kept", "dropped", "dropRate", "duplicateShare", "pii", "languages",
                "length", "relevance");
        Table t = new Table("RULE", "DROPPED", "RATE");
        all.path("dropRateByRule").fields().forEachRemaining(e -> t.row(e.getKey(), e.getValue().path("records"),
                String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue().path("rate").asDouble())));
        out().println();
        t.print(out());
        for (JsonNode note : p.path("sufficiency")) {
            out().println("note: " + note.asText());
        }
        out().flush();
        return 0;
    }

    @Command(name = "reclean", description = "Clean a version (default: the newest)"
            + " again with other cleaning settings, over its own; the raw data is reused. Prints the new version; the"
            + " same settings again name the same version.")
    int reclean(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id,
                @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
                boolean help,
                @Option(names = "--version", description = "The version to re-clean (default: the newest)") String version,
                @Option(names = "--settings", description = "A JSON file of cleaning settings (nested or flat)") Path file,
                @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting, e.g. quality.minChars=200"
                        + " or redactPii=false (a JSON value, else text); repeatable, over --settings") List<String> sets) {
        ApiClient api = conn.client();
        String v = version != null ? version : newestVersion(api, id);
        JsonNode r = api.post(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id) + "/versions/" + ApiClient.enc(v)
                + "/reclean", CleaningSettingsArgs.settings(file, sets));
        if (conn.json) {
            Table.json(out(), r);
            return 0;
        }
        Table.fields(out(), r, "datasetId", "version", "recleanOf", "existing", "message");
        Table t = new Table("SETTING", "BEFORE", "AFTER");
        r.path("settingsChanged").fields().forEachRemaining(e -> t.row(e.getKey(), e.getValue().path("before"),
                e.getValue().path("after")));
        out().println();
        t.print(out());
        out().println("then: tailor datasets diff " + id + " " + r.path("version").asText());
        out().flush();
        return 0;
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What changed from one version to another"
            + " (default: the version it was re-cleaned from): examples added, removed, changed per split, drops per"
            + " rule, settings, samples.")
    int diff(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id,
             @Parameters(paramLabel = "VERSION") String version,
             @Option(names = "--against", description = "The version to compare with") String against) {
        JsonNode d = conn.client().get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id) + "/versions/"
                + ApiClient.enc(version) + "/diff" + (against == null ? "" : "?against=" + ApiClient.enc(against)));
        if (conn.json) {
            Table.json(out(), d);
            return 0;
        }
        out().println("dataset " + id + ": " + d.path("against").asText() + " -> " + d.path("version").asText());
        Table counts = new Table("SPLIT", "BEFORE", "AFTER", "ADDED", "REMOVED", "CHANGED", "UNCHANGED");
        d.path("splits").fields().forEachRemaining(e -> countsRow(counts, e.getKey(), e.getValue()));
        countsRow(counts, "overall", d.path("overall"));
        out().println();
        counts.print(out());
        Table rules = new Table("RULE", "DROPPED BEFORE", "DROPPED AFTER");
        d.path("drops").fields().forEachRemaining(e -> rules.row(e.getKey(), e.getValue().path("before"),
                e.getValue().path("after")));
        out().println();
        rules.print(out());
        Table settings = new Table("SETTING", "BEFORE", "AFTER");
        d.path("settings").fields().forEachRemaining(e -> settings.row(e.getKey(), e.getValue().path("before"),
                e.getValue().path("after")));
        out().println();
        settings.print(out());
        for (String kind : List.of("added", "removed", "changed")) {
            for (JsonNode s : d.path("samples").path(kind)) {
                String why = s.has("droppedBy") ? " (dropped by " + s.path("droppedBy").asText() + ")" : "";
                String text = s.has("text") ? s.path("text").asText() : s.path("before").asText() + " => "
                        + s.path("after").asText();
                out().println(kind + " " + s.path("source").asText() + why + ": " + oneLine(text));
            }
        }
        out().flush();
        return 0;
    }

    private static void countsRow(Table t, String name, JsonNode c) {
        t.row(name, c.path("before"), c.path("after"), c.path("added"), c.path("removed"), c.path("changed"),
                c.path("unchanged"));
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Erase a dataset: its raw and cleaned"
            + " objects; lists (and marks) the models trained on it, for you to retire.")
    int delete(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode r = conn.client().delete(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id));
        if (conn.json) {
            Table.json(out(), r);
            return 0;
        }
        out().println("erased dataset " + id + ": " + r.path("objectsDeleted").asLong() + " objects");
        for (JsonNode m : r.path("modelsToRetire")) {
            out().println("  trained on it (retire with `tailor models delete " + m.path("modelId").asText() + "`): "
                    + m.path("modelId").asText());
        }
        out().flush();
        return 0;
    }

    /** The newest cleaned version of a dataset. */
    static String newestVersion(ApiClient api, String id) {
        JsonNode versions = api.get(Service.INGEST, "/v1/datasets/" + ApiClient.enc(id) + "/versions");
        if (versions.size() == 0) {
            throw new IllegalArgumentException("dataset " + id + " has no cleaned version yet: follow it with"
                    + " `tailor watch " + id + "`");
        }
        return versions.get(versions.size() - 1).path("version").asText();
    }

    private static String brief(JsonNode details) {
        StringBuilder sb = new StringBuilder();
        details.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && sb.length() < 100) {
                sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue().asText());
            }
        });
        return sb.length() > 100 ? sb.substring(0, 100) + "…" : sb.toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
    }
}
