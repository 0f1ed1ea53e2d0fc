package dev.tailor.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tailor keys create|list|revoke}: API keys through ingest's admin API ({@code /v1/api-keys}), as an admin of
 * a tenant ({@code TAILOR_API_KEY}, or {@code TAILOR_TOKEN} for an OIDC access token). The first admin key of a tenant
 * is made with {@code create --bootstrap}, which writes the key record into S3 directly with the operator's S3
 * credentials ({@code TAILOR_STORAGE_ACCESS_KEY}, {@code TAILOR_STORAGE_SECRET_KEY}). Credentials are read from the
 * environment only, never from the command line.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand {

    /** Where the admin API is and who calls it. */
    static class Connection {
        @Option(names = "--url", defaultValue = "${env:TAILOR_URL:-http://127.0.0.1:8081}",
                description = "Ingest service URL (env TAILOR_URL; default: ${DEFAULT-VALUE}).")
        String url;

        String credential() {
            return dev.tailor.cli.support.Credentials.fromEnvironment("an admin key of your tenant; for a tenant's first"
                    + " key use create --bootstrap");
        }

        JsonNode call(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + credential()).header("Content-Type", "application/json");
            req.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> res = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = res.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(res.body());
            if (res.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + res.statusCode() + ": "
                        + json.path("detail").asText(res.body()));
            }
            return json;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key (shown once).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Connection connection = new Connection();

        @Option(names = "--name", required = true, description = "What the key is for, e.g. support-bot.")
        String name;

        @Option(names = "--role", required = true, split = ",",
                description = "Roles: viewer, data-editor, trainer, inference-client, admin (repeat or comma-separate).")
        List<String> roles;

        @Option(names = "--expires-in", defaultValue = "P90D", description = "ISO-8601 duration (default: ${DEFAULT-VALUE}).")
        Duration expiresIn;

        @Option(names = "--bootstrap", description = "Write the key into S3 directly (the tenant's first admin key), with"
                + " the S3 credentials of TAILOR_STORAGE_ACCESS_KEY and TAILOR_STORAGE_SECRET_KEY.")
        boolean bootstrap;

        @Option(names = "--tenant", description = "Tenant of a --bootstrap key (otherwise: the caller's tenant).")
        String tenant;

        @Option(names = "--s3-endpoint", defaultValue = "${env:TAILOR_STORAGE_ENDPOINT:-http://127.0.0.1:9000}",
                description = "S3 endpoint for --bootstrap (env TAILOR_STORAGE_ENDPOINT).")
        String endpoint;

        @Option(names = "--bucket", defaultValue = "${env:TAILOR_STORAGE_BUCKET:-tailor}", description = "Bucket for --bootstrap.")
        String bucket;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (bootstrap) {
                if (tenant == null) {
                    throw new IllegalArgumentException("--bootstrap needs --tenant");
                }
                String access = System.getenv("TAILOR_STORAGE_ACCESS_KEY");
                String secret = System.getenv("TAILOR_STORAGE_SECRET_KEY");
                if (access == null || secret == null) {
                    throw new IllegalArgumentException("--bootstrap reads the S3 credentials from TAILOR_STORAGE_ACCESS_KEY"
                            + " and TAILOR_STORAGE_SECRET_KEY");
                }
                ObjectStore store = new ObjectStore(endpoint, access, secret, bucket, "us-east-1");
                var created = new ApiKeyStore(store).create(tenant, name, Roles.require(roles), "cli:bootstrap",
                        Instant.now().plus(expiresIn));
                out.println(created.key().value());
                spec.commandLine().getErr().println("key " + created.record().keyId() + " of tenant " + tenant + " ("
                        + String.join(",", created.record().roles()) + ") expires " + created.record().expiresAt()
                        + "; shown once");
                return 0;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("roles", roles);
            body.put("expiresIn", expiresIn.toString());
            JsonNode answer = connection.call("POST", "/v1/api-keys", Json.write(body));
            out.println(answer.path("key").asText());
            spec.commandLine().getErr().println("key " + answer.at("/apiKey/keyId").asText() + " of tenant "
                    + answer.at("/apiKey/tenant").asText() + " expires " + answer.at("/apiKey/expiresAt").asText()
                    + "; shown once");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your tenant's API keys.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Connection connection = new Connection();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%-16s  %-20s  %-30s  %-20s  %s%n", "KEY ID", "NAME", "ROLES", "EXPIRES", "STATE");
            for (JsonNode k : connection.call("GET", "/v1/api-keys", null)) {
                List<String> roles = new java.util.ArrayList<>();
                k.path("roles").forEach(r -> roles.add(r.asText()));
                out.printf("%-16s  %-20s  %-30s  %-20s  %s%n", k.path("keyId").asText(), k.path("name").asText(),
                        String.join(",", roles), k.path("expiresAt").asText(),
                        k.hasNonNull("revokedAt") ? "revoked" : k.path("active").asBoolean() ? "active" : "expired");
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key of your tenant.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        Connection connection = new Connection();

        @Parameters(index = "0", description = "The key id (the 16 hex digits after tlr_).")
        String keyId;

        @Override
        public Integer call() throws Exception {
            JsonNode k = connection.call("DELETE", "/v1/api-keys/" + keyId, null);
            spec.commandLine().getOut().println("revoked " + k.path("keyId").asText() + " (" + k.path("name").asText()
                    + "); every service refuses it within seconds");
            return 0;
        }
    }
}
