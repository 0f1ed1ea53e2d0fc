package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tailor models}: list, show, delete (inference's API). */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Models on a running Tailor: list and show with lineage (dataset version, parameters, verdict),"
                + " delete (undeploys first).")
public final class ModelsCommand {
    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Base models, tuned models and aliases.")
    int list(@Mixin Connection conn) {
        JsonNode all = conn.client().get(Service.INFERENCE, "/v1/models?all=true");
        if (conn.json) {
            Table.json(out(), all);
            return 0;
        }
        Table t = new Table("ID", "KIND", "SERVED", "BASE", "DATASET", "VERSION", "VERDICT", "TARGET");
        for (JsonNode m : all.path("data")) {
            t.row(m.path("id"), m.path("kind"), m.path("served").asBoolean(true) ? "yes" : "no", m.path("base_model"), m.path("dataset_id").asText("-")
                    + (m.path("dataset_erased").asBoolean() ? " (erased)" : ""), m.path("dataset_version"),
                    m.path("eval_verdict"), m.path("target"));
        }
        t.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One model with its lineage.")
    int show(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode m = conn.client().get(Service.INFERENCE, "/v1/models/" + ApiClient.enc(id));
        if (conn.json) {
            Table.json(out(), m);
            return 0;
        }
        Table.fields(out(), m, "id", "kind", "served", "base_model", "adapter", "dataset_id", "dataset_version", "dataset_erased",
                "eval_verdict", "eval_reason", "target", "canary", "canary_percent", "params");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Undeploy a tuned model, then delete it.")
    int delete(@Mixin Connection conn, @Parameters(paramLabel = "ID") String id) {
        JsonNode r = conn.client().delete(Service.INFERENCE, "/v1/models/" + ApiClient.enc(id));
        if (conn.json) {
            Table.json(out(), r);
            return 0;
        }
        out().println("deleted model " + id + " (" + r.path("objects_deleted").asInt() + " objects); undeployed: "
                + r.path("undeployed"));
        out().flush();
        return 0;
    }
}
