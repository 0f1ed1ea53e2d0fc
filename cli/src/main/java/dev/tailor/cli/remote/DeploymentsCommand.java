package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tailor deployments}: list, set, rollback (inference's API). */
@Command(name = "deployments", mixinStandardHelpOptions = true,
        description = "Deployments (aliases) on a running Tailor: list, set (with a canary), rollback.")
public final class DeploymentsCommand {
    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every active alias and what it serves.")
    int list(@Mixin Connection conn) {
        JsonNode all = conn.client().get(Service.INFERENCE, "/v1/deployments");
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("ALIAS", "MODEL", "BASE", "DATASET", "CANARY", "STATUS");
        for (JsonNode d : all.path("data")) {
            JsonNode c = d.path("canary");
            t.row(d.path("alias"), d.path("model"), d.path("base_model"), d.path("dataset_id"),
                    c.isObject() ? c.path("model").asText() + " " + c.path("percent").asInt() + "%" : "-", d.path("status"));
        }
        t.print(out());
        return 0;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Point an alias at a model (and a canary).")
    int set(@Mixin Connection conn, @Parameters(paramLabel = "ALIAS") String alias,
            @Parameters(paramLabel = "MODEL") String model,
            @Option(names = "--canary", description = "A second model answering part of the requests") String canary,
            @Option(names = "--canary-percent", defaultValue = "10", description = "Share of the canary (default 10)") int percent,
            @Option(names = "--allow-rejected", description = "Serve a model the gate rejected (recorded)") boolean allowRejected,
            @Option(names = "--log-completions", description = "Log completions (PII redacted) for feedback") boolean log) {
        ObjectNode body = Json.mapper().createObjectNode().put("model", model);
        if (canary != null) {
            body.putObject("canary").put("model", canary).put("percent", percent);
        }
        if (allowRejected) {
            body.put("allow_rejected", true);
        }
        if (log) {
            body.put("log_completions", true);
        }
        return print(conn, conn.client().put(Service.INFERENCE, "/v1/deployments/" + ApiClient.enc(alias), body));
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Back to the model the alias served before.")
    int rollback(@Mixin Connection conn, @Parameters(paramLabel = "ALIAS") String alias) {
        return print(conn, conn.client().post(Service.INFERENCE, "/v1/deployments/" + ApiClient.enc(alias) + "/rollback",
                null));
    }

    private int print(Connection conn, JsonNode d) {
        if (conn.json) {
            Table.json(out(), d);
        } else {
            Table.fields(out(), d, "alias", "model", "base_model", "dataset_id", "canary", "status");
        }
        return 0;
    }
}
