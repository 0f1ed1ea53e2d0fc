package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tailor sources}: add, list, show, sync, delete sources that stay in sync (ingest's API). */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = "Sources that stay in sync (imap, jdbc, s3, kafka): each sync turns what is new into a new"
                + " version of a dataset. Credentials by reference only: --credentials-ref names a secret of the"
                + " ingest service.")
public final class SourcesCommand {
    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a source; prints its id. Example:"
            + " tailor sources add imap --name support-mail --set host=imap.example.com --set user=support"
            + " --credentials-ref support-imap --interval PT15M")
    int add(@Mixin Connection conn, @Parameters(paramLabel = "KIND", description = "imap, jdbc, s3 or kafka") String kind,
            @Option(names = "--name", description = "Name of the dataset it creates") String name,
            @Option(names = "--dataset", description = "Feed this existing dataset id instead") String datasetId,
            @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A connection setting (repeatable):"
                    + " host, port, user, folders, url, query, cursorColumn, bucket, topic…; never a secret")
            List<String> settings,
            @Option(names = "--credentials-ref", description = "Name of the secret with the password or key")
            String credentialsRef,
            @Option(names = "--interval", description = "Sync periodically (ISO-8601, e.g. PT15M); default: on demand")
            String interval,
            @Option(names = "--cleaning", description = "Cleaning settings: a JSON file or inline JSON") String cleaning,
            @Option(names = "--auto-train", description = "Train each new version once cleaned") boolean autoTrain,
            @Option(names = "--base-model", description = "Base model to fine-tune (auto-train)") String baseModel) {
        JsonNode r = conn.client().post(Service.INGEST, "/v1/sources", body(kind, name, datasetId, settings,
                credentialsRef, interval, cleaning, autoTrain, baseModel));
        if (conn.json) {
            Table.json(out(), r);
            return 0;
        }
        out().println("source " + r.at("/source/id").asText() + " (" + r.at("/source/kind").asText() + ") added;"
                + " sync it now: tailor sources sync " + r.at("/source/id").asText());
        out().flush();
        return 0;
    }

    /** The request body of {@code add}: the connection settings as strings, the cleaning settings as an object. */
    static ObjectNode body(String kind, String name, String datasetId, List<String> settings, String credentialsRef,
                           String interval, String cleaning, boolean autoTrain, String baseModel) {
        ObjectNode b = Json.mapper().createObjectNode();
        b.put("kind", kind);
        putIf(b, "name", name);
        putIf(b, "datasetId", datasetId);
        putIf(b, "credentialsRef", credentialsRef);
        putIf(b, "interval", interval);
        putIf(b, "baseModel", baseModel);
        b.put("autoTrain", autoTrain);
        ObjectNode connection = b.putObject("connection");
        for (String s : settings == null ? List.<String>of() : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set takes KEY=VALUE, got '" + s + "'");
            }
            connection.put(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        if (cleaning != null) {
            String text = cleaning;
            if (!cleaning.trim().startsWith("{")) {
                try {
                    text = Files.readString(Path.of(cleaning));
                } catch (IOException e) {
                    throw new UncheckedIOException("--cleaning " + cleaning + " cannot be read: " + e.getMessage(), e);
                }
            }
            JsonNode settingsJson = Json.read(text, JsonNode.class);
            if (!settingsJson.isObject()) {
                throw new IllegalArgumentException("--cleaning must be a JSON object of cleaning settings");
            }
            b.set("cleaning", settingsJson);
        }
        return b;
    }

    private static void putIf(ObjectNode b, String field, String value) {
        if (value != null) {
            b.put(field, value);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every source with its state.")
    int list(@Mixin Connection conn) {
        JsonNode all = conn.client().get(Service.INGEST, "/v1/sources");
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("ID", "KIND", "NAME", "DATASET", "STATE", "LAST SYNC", "VERSIONS", "INTERVAL", "ERROR");
        for (JsonNode s : all) {
            JsonNode st = s.path("state");
            t.row(s.at("/source/id"), s.at("/source/kind"), s.at("/source/name"), st.path("datasetId"), st.path("state"),
                    st.path("lastSync"), st.path("versionsMade"), s.at("/source/interval"), st.at("/lastError/title"));
        }
        t.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A source: settings, cursor, versions,"
            + " last error.")
    int show(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode s = conn.client().get(Service.INGEST, "/v1/sources/" + ApiClient.enc(id));
        if (conn.json) {
            Table.json(out(), s);
            return 0;
        }
        Table.fields(out(), s.path("source"), "id", "kind", "name", "datasetId", "connection", "credentialsRef",
                "interval", "autoTrain", "baseModel", "created");
        Table.fields(out(), s.path("state"), "state", "datasetId", "lastAttempt", "lastSync", "versionsMade",
                "recordsSynced", "cursor");
        JsonNode error = s.at("/state/lastError");
        if (error.isObject()) {
            out().println("last error: " + error.path("title").asText() + ": " + error.path("detail").asText());
        }
        if (s.at("/state/versions").size() > 0) {
            out().println();
            Table t = new Table("AT", "DATASET", "RECORDS", "FORMAT", "DUPLICATE", "RAW");
            for (JsonNode v : s.at("/state/versions")) {
                t.row(v.path("at"), v.path("datasetId"), v.path("records"), v.path("format"), v.path("duplicate"),
                        v.path("raw"));
            }
            t.print(out());
        }
        out().flush();
        return 0;
    }

    @Command(name = "sync", mixinStandardHelpOptions = true, description = "Sync a source now: what is new becomes a"
            + " new version of its dataset.")
    int sync(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode r = conn.client().post(Service.INGEST, "/v1/sources/" + ApiClient.enc(id) + "/sync", null);
        if (conn.json) {
            Table.json(out(), r);
            return 0;
        }
        if (r.path("versionMade").asBoolean()) {
            out().println("new version of " + r.path("datasetId").asText() + ": " + r.at("/version/records").asLong()
                    + " records (" + r.at("/version/format").asText() + "); follow it: tailor watch "
                    + r.path("datasetId").asText());
        } else {
            out().println(r.path("message").asText("no version made"));
        }
        out().flush();
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove a source; its datasets stay.")
    int delete(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        conn.client().delete(Service.INGEST, "/v1/sources/" + ApiClient.enc(id));
        out().println("source " + id + " removed; the datasets and versions it made stay");
        out().flush();
        return 0;
    }
}
