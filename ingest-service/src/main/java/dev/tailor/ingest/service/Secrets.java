package dev.tailor.ingest.service;

import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.SourceSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a source's {@code credentialsRef} at sync time: the file of that name in {@code tailor.ingest.secrets-dir}
 * (a mounted Kubernetes Secret: one file per key; a trailing line break is dropped), else the environment variable
 * {@code TAILOR_SECRET_{NAME}}. The value is handed to the connector and kept nowhere else: never in S3, a log, an
 * event or an answer.
 */
@ApplicationScoped
public class Secrets {
    private final Optional<Path> dir;
    private final Map<String, String> env;

    @jakarta.inject.Inject
    public Secrets(IngestSettings settings) {
        this(settings.secretsDir(), System.getenv());
    }

    Secrets(Optional<Path> dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /** The environment variable that may hold secret {@code ref}. */
    public static String variable(String ref) {
        return "TAILOR_SECRET_" + ref.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The secret named {@code ref} (null ref: no credentials), or an UNPROCESSABLE failure that names the reference
     * and where it was looked for.
     */
    public Optional<String> resolve(String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        if (!SourceSpec.SECRET_NAME.matcher(ref).matches()) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid credentialsRef", "'" + ref + "' is not a"
                    + " secret name").with("credentialsRef", ref);
        }
        if (dir.isPresent()) {
            Path file = dir.get().resolve(ref);
            if (Files.isRegularFile(file)) {
                try {
                    return Optional.of(strip(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new IngestFailure(IngestFailure.Reason.UNPROCESSABLE, "Unreadable credentials", "secret '"
                            + ref + "' exists at " + file + " but cannot be read (" + e.getClass().getSimpleName()
                            + "); check the mount's permissions").with("credentialsRef", ref);
                }
            }
        }
        String value = env.get(variable(ref));
        if (value != null) {
            return Optional.of(value);
        }
        String where = (dir.map(d -> "no file " + d.resolve(ref) + " (tailor.ingest.secrets-dir)").orElse(
                "no secrets directory configured (tailor.ingest.secrets-dir)")) + " and no environment variable "
                + variable(ref);
        throw new IngestFailure(IngestFailure.Reason.UNPROCESSABLE, "Missing credentials", "the source's credentials"
                + " reference '" + ref + "' names no secret: " + where + "; create the secret (e.g. a Kubernetes"
                + " Secret mounted at the secrets directory, one key per secret) and sync again")
                .with("credentialsRef", ref).with("lookedAt", where);
    }

    private static String strip(String s) {
        return s.endsWith("\r\n") ? s.substring(0, s.length() - 2) : s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
