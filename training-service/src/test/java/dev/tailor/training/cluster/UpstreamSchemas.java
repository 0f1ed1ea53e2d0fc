package dev.tailor.training.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upstream schemas in {@code deploy/schemas/} (see its README for their sources and versions), as JSON Schema
 * validators. CRD schemas are structural OpenAPI v3: they are used as they are, with {@code additionalProperties:
 * false} added to every object that lists its properties and does not preserve unknown fields, which is what the API
 * server's strict field validation ({@code kubectl apply --validate=strict}) enforces.
 */
final class UpstreamSchemas {
    static final Path ROOT = Path.of("../deploy/schemas");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private UpstreamSchemas() {
    }

    /** Kubeflow Trainer v2.3.0's TrainJob (the whole object). */
    static Schema trainJob() {
        return strict(crd("kubeflow-trainer-v2.3.0/trainer.kubeflow.org_trainjobs.yaml", "v1alpha1"));
    }

    /**
     * Kubernetes' batch/v1 JobTemplateSpec ({@code metadata}, {@code spec}: a JobSpec) as embedded in Trainer
     * v2.3.0's ClusterTrainingRuntime (from k8s.io/api v0.36.2).
     */
    static Schema jobTemplate() {
        JsonNode s = crd("kubeflow-trainer-v2.3.0/trainer.kubeflow.org_clustertrainingruntimes.yaml", "v1alpha1");
        return strict(s.at("/properties/spec/properties/template/properties/spec/properties/replicatedJobs/items"
                + "/properties/template"));
    }

    /** A CRD of {@code file} (the schema of {@code version}). */
    static Schema crdSchema(String file, String version) {
        return strict(crd(file, version));
    }

    /** The axolotl v0.18.0 configuration schema. */
    static Schema axolotl() {
        try {
            return REGISTRY.getSchema(JSON.readTree(ROOT.resolve("axolotl-v0.18.0/config.schema.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string constant of Kueue's {@code pkg/controller/constants/constants.go} (v0.19.2). */
    static String kueueConstant(String name) {
        try {
            String source = Files.readString(ROOT.resolve("kueue-v0.19.2/constants.go"));
            Matcher m = Pattern.compile("\\b" + name + "\\s*(?:[A-Za-z.]+\\s*)?=\\s*\"([^\"]+)\"").matcher(source);
            if (!m.find()) {
                throw new AssertionError(name + " is not in Kueue's constants.go");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Error> validate(Schema schema, Object value) {
        return schema.validate(JSON.valueToTree(value));
    }

    private static JsonNode crd(String file, String version) {
        try {
            JsonNode crd = YAML.readTree(ROOT.resolve(file).toFile());
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("name").asText().equals(version)) {
                    return v.path("schema").path("openAPIV3Schema").deepCopy();
                }
            }
            throw new AssertionError(file + " has no version " + version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema strict(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        close(copy);
        return REGISTRY.getSchema(copy);
    }

    private static void close(JsonNode node) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(UpstreamSchemas::close);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(UpstreamSchemas::close);
        }
    }
}
