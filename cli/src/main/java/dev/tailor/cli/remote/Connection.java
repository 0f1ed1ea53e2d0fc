package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.cli.support.RepoRoot;
import dev.tailor.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where Tailor runs and the caller's key, for every verb that talks to its APIs. Each value is taken from the first
 * place that has it: a flag; the environment ({@code TAILOR_URL} for every service, {@code TAILOR_INGEST_URL}…
 * per service, {@code TAILOR_API_KEY} or {@code TAILOR_TOKEN}); the config file ({@code ~/.config/tailor/config}
 * or {@code $TAILOR_CONFIG}: {@code url=}, {@code ingest-url=}…, {@code api-key=}); the local stack of
 * {@code ./tailor up} ({@code .tailor/stack/stack.json}); else the local default ports 8081–8085. The key is never a
 * flag (it would show in {@code ps}); {@code --api-key-file} names a file holding it.
 */
public final class Connection {
    /** The file {@code ./tailor up} writes (mode 600): the services' URLs and the admin key it made. */
    public static final String STACK_FILE = ".tailor/stack/stack.json";

    @Option(names = "--url", description = "Base URL of every service (a gateway), e.g. https://tailor.example.com")
    String url;

    @Option(names = "--ingest-url", description = "Base URL of the ingest service (datasets)")
    String ingestUrl;

    @Option(names = "--training-url", description = "Base URL of the training service (jobs)")
    String trainingUrl;

    @Option(names = "--eval-url", description = "Base URL of the eval service (evaluations)")
    String evalUrl;

    @Option(names = "--inference-url", description = "Base URL of the inference service (models, deployments, chat)")
    String inferenceUrl;

    @Option(names = "--api-key-file", description = "A file holding the API key (else TAILOR_API_KEY, the config file or"
            + " the local stack's key)")
    Path apiKeyFile;

    @Option(names = "--json", description = "Print the server's JSON instead of a table (for scripts)")
    public boolean json;

    private Map<String, String> env = System.getenv();

    /** The environment to read (tests give their own). */
    public Connection environment(Map<String, String> environment) {
        this.env = environment;
        return this;
    }

    /** A client for the resolved URLs and key. */
    public ApiClient client() {
        Properties config = configFile();
        JsonNode stack = localStack();
        Map<Service, String> urls = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            urls.put(s, strip(first(flag(s), url, env.get("TAILOR_" + s.name() + "_URL"), env.get("TAILOR_URL"),
                    config.getProperty(s.key() + "-url"), config.getProperty("url"),
                    stack == null ? null : stack.path("urls").path(s.key()).asText(null), s.localUrl())));
        }
        return new ApiClient(urls, key(config, stack));
    }

    private String key(Properties config, JsonNode stack) {
        if (apiKeyFile != null) {
            try {
                return Files.readString(apiKeyFile).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("--api-key-file " + apiKeyFile + " cannot be read: " + e.getMessage());
            }
        }
        return first(env.get("TAILOR_API_KEY"), env.get("TAILOR_TOKEN"), config.getProperty("api-key"),
                stack == null ? null : stack.path("apiKey").asText(null), null);
    }

    private String flag(Service s) {
        return switch (s) {
            case INGEST -> ingestUrl;
            case TRAINING -> trainingUrl;
            case EVAL -> evalUrl;
            case INFERENCE -> inferenceUrl;
            case CLEANING -> null;
        };
    }

    private Properties configFile() {
        Properties p = new Properties();
        String explicit = env.get("TAILOR_CONFIG");
        Path file = explicit != null ? Path.of(explicit)
                : Path.of(System.getProperty("user.home"), ".config", "tailor", "config");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("config file " + file + " cannot be read: " + e.getMessage(), e);
            }
        } else if (explicit != null) {
            throw new IllegalArgumentException("TAILOR_CONFIG names " + file + ", which does not exist");
        }
        return p;
    }

    /** What {@code ./tailor up} wrote, when this runs in a checkout with a local stack; else null. */
    private static JsonNode localStack() {
        try {
            Path file = RepoRoot.find().resolve(STACK_FILE);
            return Files.isRegularFile(file) ? Json.read(Files.readAllBytes(file), JsonNode.class) : null;
        } catch (IOException | RuntimeException notHere) {
            return null;
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
