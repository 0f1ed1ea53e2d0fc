package dev.tailor.common.storage;

import dev.tailor.common.events.Checks;
import java.util.List;

/** Object keys (without bucket) of one tenant, as in DESIGN.md's object layout. Prefixes end in '/'. */
public final class ObjectLayout {
    public static final List<String> SPLITS = List.of("train", "validation", "test");
    public static final List<String> REPORT_FORMATS = List.of("json", "html");

    private final String tenant;

    public ObjectLayout(String tenant) {
        this.tenant = Checks.tenant(tenant);
    }

    public String tenant() {
        return tenant;
    }

    /** {@code {tenant}/raw/{datasetId}/} */
    public String rawPrefix(String datasetId) {
        return tenant + "/raw/" + Checks.id("datasetId", datasetId) + "/";
    }

    /** Sub-folder of a dataset's raw prefix that holds the uploads of its later versions. */
    public static final String RAW_VERSIONS = "versions/";

    /**
     * {@code {tenant}/raw/{datasetId}/versions/{uploadId}/}: the raw objects of a later upload of the same
     * dataset (its first upload lies directly under {@link #rawPrefix}).
     */
    public String rawVersionPrefix(String datasetId, String uploadId) {
        return rawPrefix(datasetId) + RAW_VERSIONS + Checks.id("uploadId", uploadId) + "/";
    }

    /** {@code {tenant}/raw/{datasetId}/{fileName}}; fileName may contain '/' for sub-folders. */
    public String raw(String datasetId, String fileName) {
        return rawPrefix(datasetId) + relative("fileName", fileName);
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/} */
    public String datasetPrefix(String datasetId, String version) {
        return tenant + "/datasets/" + Checks.id("datasetId", datasetId) + "/" + Checks.id("version", version) + "/";
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/{split}.jsonl} with split train, validation or test. */
    public String split(String datasetId, String version, String split) {
        return datasetPrefix(datasetId, version) + Checks.oneOf("split", split, SPLITS) + ".jsonl";
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/report.json} */
    public String report(String datasetId, String version) {
        return datasetPrefix(datasetId, version) + "report.json";
    }

    /** {@code {tenant}/models/base/{name}/}; a name with '/' (an HF repo id) keeps its sub-folder. */
    public String baseModel(String name) {
        return tenant + "/models/base/" + relative("name", name) + "/";
    }

    /** {@code {tenant}/models/tuned/{modelId}/} */
    public String tunedModel(String modelId) {
        return tenant + "/models/tuned/" + Checks.id("modelId", modelId) + "/";
    }

    /** {@code {tenant}/evals/{modelId}/report.{json|html}} */
    public String evalReport(String modelId, String format) {
        return tenant + "/evals/" + Checks.id("modelId", modelId) + "/report."
                + Checks.oneOf("format", format, REPORT_FORMATS);
    }

    /** {@code prefix + "manifest.json"}: the lineage record next to an output. */
    public static String manifest(String prefix) {
        if (prefix == null || !(prefix.isEmpty() || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("manifest prefix must end with '/', got '" + prefix + "'");
        }
        return prefix + "manifest.json";
    }

    private static String relative(String field, String path) {
        Checks.notBlank(field, path);
        if (path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.contains("\\")
                || List.of(path.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException(field + " must be a relative path with '/' separators, no '.' or '..'"
                    + " segments and no leading or trailing '/', got '" + path + "'");
        }
        return path;
    }
}
