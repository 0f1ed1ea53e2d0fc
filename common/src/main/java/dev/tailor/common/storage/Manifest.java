package dev.tailor.common.storage;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.values.Checks;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The lineage record ({@code manifest.json}) every stage writes next to its output, last: its presence marks the
 * output complete. One shape for every stage; a stage leaves out what does not apply to it.
 *
 * @param producedBy the service (and part) that wrote the output, e.g. {@code cleaning-service}
 * @param created    when the output was completed
 * @param datasetId  the dataset the output belongs to, when there is one
 * @param version    the cleaned dataset version (cleaning's output, and what training and eval used)
 * @param jobId      the training job (training's output)
 * @param modelId    the tuned model (training's and eval's outputs)
 * @param inputs     what the output was made from: name → s3 URI
 * @param outputs    the objects written: name → s3 URI
 * @param counts     record and example counts, e.g. records, kept, train
 * @param training   the upload's training options (ingest's output; read by training)
 * @param details    anything else the stage records (its configuration, parameters, settings)
 * @param principal  who the output was made for: the caller of the request, or the principal of the event that
 *                   caused the work (an OIDC subject, {@code apikey:<keyId>}); absent in manifests written before it
 *                   existed, or when nobody asked for it
 */
@JsonClassDescription("The lineage record (manifest.json) a stage writes next to its output, last. New fields are"
        + " added as optional properties; readers ignore unknown ones.")
public record Manifest(
        @Min(1) int schemaVersion,
        @NotBlank @JsonPropertyDescription("the service that wrote the output") String producedBy,
        @NotNull @JsonPropertyDescription("when the output was completed (ISO-8601)") Instant created,
        @NotNull @Pattern(regexp = Checks.TENANT_PATTERN) String tenant,
        @Pattern(regexp = Checks.ID_PATTERN) String datasetId,
        @Pattern(regexp = Checks.ID_PATTERN) String version,
        @Pattern(regexp = Checks.ID_PATTERN) String jobId,
        @Pattern(regexp = Checks.ID_PATTERN) String modelId,
        @JsonPropertyDescription("what the output was made from: name -> s3 URI") Map<String, String> inputs,
        @JsonPropertyDescription("the objects written: name -> s3 URI") Map<String, String> outputs,
        @JsonPropertyDescription("record and example counts") Map<String, Long> counts,
        @JsonPropertyDescription("the upload's training options (ingest)") TrainingOptions training,
        @JsonPropertyDescription("anything else the stage records") Map<String, Object> details,
        @JsonPropertyDescription("who the output was made for: an OIDC subject or apikey:<keyId>") String principal) {
    /** Version of the manifest's JSON Schema this record is written with. */
    public static final int SCHEMA_VERSION = 1;

    public Manifest {
        if (schemaVersion == 0) {
            schemaVersion = SCHEMA_VERSION; // manifests written before the field existed
        } else if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be 1 or more, got " + schemaVersion);
        }
        Checks.notBlank("producedBy", producedBy);
        Objects.requireNonNull(created, "created is required");
        Checks.tenant(tenant);
        Checks.optionalId("datasetId", datasetId);
        Checks.optionalId("version", version);
        Checks.optionalId("jobId", jobId);
        Checks.optionalId("modelId", modelId);
        Checks.optionalPrincipal(principal);
        inputs = copy(inputs);
        outputs = copy(outputs);
        counts = copy(counts);
        details = copy(details);
    }

    /** A manifest written now by {@code producedBy} for {@code tenant}; the builder fills the rest. */
    public static Builder of(String producedBy, String tenant) {
        return new Builder(producedBy, tenant);
    }

    /** An output's s3 URI by name, or null. */
    public String output(String name) {
        return outputs.get(name);
    }

    /** A count by name, or 0. */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        return map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Fills a manifest field by field. */
    public static final class Builder {
        private final String producedBy;
        private final String tenant;
        private Instant created = Instant.now();
        private String datasetId;
        private String version;
        private String jobId;
        private String modelId;
        private TrainingOptions training;
        private String principal;
        private final Map<String, String> inputs = new LinkedHashMap<>();
        private final Map<String, String> outputs = new LinkedHashMap<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(String producedBy, String tenant) {
            this.producedBy = producedBy;
            this.tenant = tenant;
        }

        public Builder created(Instant at) {
            this.created = at;
            return this;
        }

        public Builder dataset(String id, String datasetVersion) {
            this.datasetId = id;
            this.version = datasetVersion;
            return this;
        }

        public Builder job(String id, String model) {
            this.jobId = id;
            this.modelId = model;
            return this;
        }

        public Builder input(String name, String uri) {
            inputs.put(name, uri);
            return this;
        }

        public Builder output(String name, String uri) {
            outputs.put(name, uri);
            return this;
        }

        public Builder outputs(Map<String, String> uris) {
            outputs.putAll(uris);
            return this;
        }

        public Builder count(String name, long value) {
            counts.put(name, value);
            return this;
        }

        public Builder training(TrainingOptions options) {
            this.training = options;
            return this;
        }

        /** Who the output was made for (null: nobody known). */
        public Builder principal(String who) {
            this.principal = who;
            return this;
        }

        public Builder detail(String name, Object value) {
            if (value != null) {
                details.put(name, value);
            }
            return this;
        }

        public Manifest build() {
            return new Manifest(SCHEMA_VERSION, producedBy, created, tenant, datasetId, version, jobId, modelId,
                    inputs, outputs, counts, training, details, principal);
        }
    }
}
