package dev.tailor.ingest.domain;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A source that stays in sync: what to pull from where into which dataset, how often, and how to clean it. It holds
 * the name of the secret with the credentials ({@code credentialsRef}), never the credentials: connection settings
 * whose name says they are a secret are refused.
 *
 * @param id            the source's id ({@code src-…})
 * @param tenant        owner of the source and its dataset
 * @param kind          what it pulls from
 * @param name          name of the dataset it creates (when no datasetId is given)
 * @param datasetId     an existing dataset whose new versions it makes, or null (the first sync creates one)
 * @param connection    connection settings of the kind (host, url, topic…), strings, no secrets
 * @param credentialsRef name of the secret (a file in tailor.ingest.secrets-dir or TAILOR_SECRET_{NAME}), or null
 * @param interval      how often to sync (null: only on demand)
 * @param cleaning      per-dataset cleaning settings as JSON, like an upload's 'cleaning' part, or null
 * @param autoTrain     train each new version once cleaned
 * @param baseModel     base model for auto-training (null: the training service's default)
 * @param created       when it was registered
 * @param principal     who registered it (recorded with the versions it makes)
 */
public record SourceSpec(String id, String tenant, String kind, String name, String datasetId,
                         Map<String, String> connection, String credentialsRef,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) Duration interval, String cleaning,
                         boolean autoTrain, String baseModel, Instant created, String principal) {
    /** Shortest interval between periodic syncs. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    /** A secret name as Kubernetes allows for a key of a Secret (also a file name in the secrets directory). */
    public static final Pattern SECRET_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$");
    private static final Pattern SECRET_IN_VALUE = Pattern.compile(
            "(?i)(password|passwd|secret|token|apikey|api_key)=|://[^/@\\s:]+:[^/@\\s]+@");
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "token", "apikey",
            "api_key", "api-key", "credential");

    public SourceSpec {
        SourceKind k = SourceKind.of(kind);
        kind = k.id();
        connection = connection == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(connection));
        for (Map.Entry<String, String> e : connection.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (SECRET_WORDS.stream().anyMatch(key::contains)) {
                throw invalid("connection." + e.getKey(), "Secret in the connection settings", "connection setting '"
                        + e.getKey() + "' looks like a secret; secrets are never stored with a source: put it in a"
                        + " secret (a file named after it in tailor.ingest.secrets-dir, e.g. a mounted Kubernetes"
                        + " Secret) and name that secret in 'credentialsRef'");
            }
        }
        for (Map.Entry<String, String> e : connection.entrySet()) {
            if (e.getValue() != null && SECRET_IN_VALUE.matcher(e.getValue()).find()) {
                throw invalid("connection." + e.getKey(), "Secret in the connection settings", "connection setting '"
                        + e.getKey() + "' carries a secret (password=, secret=, token=…); leave it out of URLs and"
                        + " settings and name the secret that holds it in 'credentialsRef'");
            }
        }
        for (String required : k.required()) {
            String v = connection.get(required);
            if (v == null || v.isBlank()) {
                throw invalid("connection." + required, "Missing connection setting", "a " + kind + " source needs"
                        + " connection settings " + k.required() + "; '" + required + "' is missing");
            }
        }
        if (credentialsRef != null && credentialsRef.isBlank()) {
            credentialsRef = null;
        }
        if (credentialsRef != null && !SECRET_NAME.matcher(credentialsRef).matches()) {
            throw invalid("credentialsRef", "Invalid credentialsRef", "credentialsRef must be the name of a secret (1-253"
                    + " letters, digits, '.', '_' or '-', as a key of a Kubernetes Secret), got '" + credentialsRef
                    + "'; the secret itself is never sent to the API");
        }
        if (credentialsRef == null && k.needsCredentials()) {
            throw invalid("credentialsRef", "Missing credentialsRef", "a " + kind + " source needs credentials: name"
                    + " the secret that holds them in 'credentialsRef'");
        }
        if (interval != null && (interval.isNegative() || interval.compareTo(MIN_INTERVAL) < 0)) {
            throw invalid("interval", "Invalid interval", "interval must be at least " + MIN_INTERVAL
                    + " (ISO-8601, e.g. PT15M), or left out for syncs on demand only; got " + interval);
        }
        if (datasetId != null && datasetId.isBlank()) {
            datasetId = null;
        }
        if (name == null || name.isBlank()) {
            name = datasetId != null ? datasetId : kind + "-" + id;
        }
        if (name.length() > 200) {
            throw invalid("name", "Invalid name", "name must be at most 200 characters, got " + name.length());
        }
        if (baseModel != null && baseModel.isBlank()) {
            baseModel = null;
        }
    }

    /** The connection setting {@code key}, or {@code fallback} when it is not set. */
    public String setting(String key, String fallback) {
        String v = connection.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    /** The connection setting {@code key} as a number, or an INVALID failure naming it. */
    @JsonIgnore
    public long number(String key, long fallback) {
        String v = setting(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid("connection." + key, "Invalid connection setting", "connection setting '" + key
                    + "' must be a whole number, got '" + v + "'");
        }
    }

    /** This spec with the dataset its first sync created. */
    public SourceSpec withDatasetId(String dataset) {
        return new SourceSpec(id, tenant, kind, name, dataset, connection, credentialsRef, interval, cleaning, autoTrain,
                baseModel, created, principal);
    }

    @JsonIgnore
    public SourceKind sourceKind() {
        return SourceKind.of(kind);
    }

    private static IngestFailure invalid(String field, String title, String detail) {
        return new IngestFailure(IngestFailure.Reason.INVALID, title, detail).with("field", field);
    }
}
