package dev.tailor.common.storage;

import dev.tailor.common.values.Checks;
import java.util.List;
import java.util.Set;

/**
 * Every object key (without bucket) that a Tailor service reads or writes, for one tenant; no service builds a key
 * by hand. Prefixes end in '/'. Keys inside a folder whose prefix an event carries (an upload's raw prefix, a tuned
 * model's prefix) are static functions of that prefix, so a stage can use the URI it was given.
 *
 * <pre>
 * {tenant}/raw/{datasetId}/                 first upload: its files, manifest.json, cleaning.json, ref/*.csv
 * {tenant}/raw/{datasetId}/versions/{id}/   a later upload of the dataset, same files
 * {tenant}/index/sha256/{hash}.json         content index: identical uploads find their dataset
 * {tenant}/datasets/{datasetId}/{version}/  train.jsonl, validation.jsonl, test.jsonl, report.json, manifest.json,
 *                                           profile.json; a re-cleaned version also cleaning.json (the settings it
 *                                           was asked with, written first) and diff.json
 * {tenant}/models/base/{name}/              HF checkpoint: config.json, *.safetensors, tokenizer files
 * {tenant}/models/tuned/{modelId}/          PEFT adapter, job.json, training.json, metrics.jsonl, checkpoints/step-N/,
 *                                           manifest.json
 * {tenant}/evals/{evaluationId}/            report.json, report.html, manifest.json, evaluation.json (the
 *                                           evaluation after a training job has the model's id as its id)
 * {tenant}/evals/_index/{model|dataset}/{id}/{evaluationId}.json   evaluations by model and by dataset
 * {tenant}/evals/_sweeps/{sweepId}/{modelId}.json                  the evaluated candidates of a training sweep
 * {tenant}/evals/_sets/{setId}.jsonl        eval sets uploaded to the eval service
 * {tenant}/status/{datasetId}/{entry}.json  pipeline status entries of a dataset (folded by the status reducer)
 * {tenant}/status/_models/{modelId}.json    which dataset a model was trained on
 * {tenant}/sources/{sourceId}/              spec.json (a synced source), state.json (cursor, last sync), lease.json
 * _system/sources/{tenant}/{sourceId}.json  index of every tenant's sources (for the periodic syncs)
 * </pre>
 */
public final class ObjectLayout {
    public static final List<String> SPLITS = List.of("train", "validation", "test");
    public static final List<String> REPORT_FORMATS = List.of("json", "html");
    /** Sub-folder of a dataset's raw prefix that holds the uploads of its later versions. */
    public static final String RAW_VERSIONS = "versions/";
    /** File names inside an upload's raw prefix that are not uploaded data. */
    public static final Set<String> RESERVED_NAMES = Set.of("manifest.json", "cleaning.json");

    private static final String MANIFEST = "manifest.json";
    private static final String CLEANING_CONFIG = "cleaning.json";
    private static final String REFERENCE_TABLES = "ref/";
    private static final String CHECKPOINTS = "checkpoints/";
    /** Platform records that belong to no tenant; tenants match {@link Checks#TENANT_PATTERN}, never '_'. */
    private static final String SYSTEM = "_system/";

    private final String tenant;

    public ObjectLayout(String tenant) {
        this.tenant = Checks.tenant(tenant);
    }

    public String tenant() {
        return tenant;
    }

    /** {@code {tenant}/}: everything of this tenant (its storage use is the size of what lies under it). */
    public String root() {
        return tenant + "/";
    }

    /**
     * {@code key} itself when it lies under this tenant's prefix: an event names object keys (split URIs, adapters),
     * and a stage acting for one tenant must never read another tenant's objects because an event says so.
     *
     * @throws IllegalArgumentException when the key lies outside
     */
    public String owned(String field, String key) {
        if (key == null || !key.startsWith(root()) || key.contains("/../")) {
            throw new IllegalArgumentException(field + " '" + key + "' lies outside tenant '" + tenant
                    + "''s prefix " + root() + "; a tenant's stages read only the tenant's objects");
        }
        return key;
    }

    // --- platform records, per job ---

    /** {@code _system/training-jobs/{modelId}.json}: the index of unfinished jobs of every tenant (for resuming). */
    public static String unfinishedJob(String modelId) {
        return unfinishedJobs() + Checks.id("modelId", modelId) + ".json";
    }

    /** {@code _system/training-jobs/} */
    public static String unfinishedJobs() {
        return SYSTEM + "training-jobs/";
    }

    /**
     * {@code _system/evaluations/{tenant}/{evaluationId}.json}: the index of unfinished evaluations of every tenant
     * (for resuming them after a restart).
     */
    public static String unfinishedEvaluation(String tenant, String evaluationId) {
        return unfinishedEvaluations() + Checks.tenant(tenant) + "/" + Checks.id("evaluationId", evaluationId)
                + ".json";
    }

    /** {@code _system/evaluations/} */
    public static String unfinishedEvaluations() {
        return SYSTEM + "evaluations/";
    }

    // --- raw uploads ---

    /** {@code {tenant}/raw/{datasetId}/} */
    public String rawPrefix(String datasetId) {
        return tenant + "/raw/" + Checks.id("datasetId", datasetId) + "/";
    }

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

    /** {@code {uploadPrefix}{fileName}}: an uploaded file inside an upload's raw prefix. */
    public static String uploadFile(String uploadPrefix, String fileName) {
        return folder("uploadPrefix", uploadPrefix) + relative("fileName", fileName);
    }

    /** {@code {uploadPrefix}cleaning.json}: the upload's own cleaning settings. */
    public static String cleaningConfig(String uploadPrefix) {
        return folder("uploadPrefix", uploadPrefix) + CLEANING_CONFIG;
    }

    /** {@code {uploadPrefix}ref/}: reference tables for field lookups. */
    public static String referenceTables(String uploadPrefix) {
        return folder("uploadPrefix", uploadPrefix) + REFERENCE_TABLES;
    }

    /** {@code {uploadPrefix}ref/{name}}: one reference table (the last segment of {@code name}). */
    public static String referenceTable(String uploadPrefix, String name) {
        return referenceTables(uploadPrefix) + relative("name", name.substring(name.lastIndexOf('/') + 1));
    }

    /**
     * Whether {@code key} is uploaded data of the upload at {@code uploadPrefix}: not its manifest or cleaning
     * settings, not a reference table, not a later version's folder.
     */
    public static boolean isUploadedData(String uploadPrefix, String key) {
        if (!key.startsWith(uploadPrefix) || key.length() == uploadPrefix.length()) {
            return false;
        }
        String name = key.substring(uploadPrefix.length());
        return !RESERVED_NAMES.contains(name) && !name.startsWith(REFERENCE_TABLES) && !name.startsWith(RAW_VERSIONS);
    }

    /**
     * Whether {@code key} under {@code rawPrefix(datasetId)} is the manifest of an upload (the first one or a
     * later version); {@link #uploadPrefixOf} gives that upload's prefix.
     */
    public static boolean isUploadManifest(String rawPrefix, String key) {
        if (!key.startsWith(rawPrefix) || !key.endsWith("/" + MANIFEST) && !key.equals(rawPrefix + MANIFEST)) {
            return false;
        }
        String rel = key.substring(rawPrefix.length());
        if (rel.equals(MANIFEST)) {
            return true;
        }
        return rel.startsWith(RAW_VERSIONS)
                && rel.indexOf('/', RAW_VERSIONS.length()) == rel.length() - MANIFEST.length() - 1;
    }

    /** The folder of a manifest key. */
    public static String uploadPrefixOf(String manifestKey) {
        return manifestKey.substring(0, manifestKey.length() - MANIFEST.length());
    }

    /** {@code {tenant}/index/sha256/}: the content index of the tenant's uploads. */
    public String contentIndexRoot() {
        return tenant + "/index/sha256/";
    }

    /** {@code {tenant}/index/sha256/{hash}.json}: which dataset holds content with this SHA-256. */
    public String contentIndex(String sha256) {
        return contentIndexRoot() + Checks.sha256("sha256", sha256) + ".json";
    }

    // --- cleaned datasets ---

    /** {@code {tenant}/datasets/}: every cleaned dataset of the tenant. */
    public String datasetsRoot() {
        return tenant + "/datasets/";
    }

    /** {@code {tenant}/datasets/{datasetId}/}: every cleaned version of a dataset. */
    public String datasetRoot(String datasetId) {
        return datasetsRoot() + Checks.id("datasetId", datasetId) + "/";
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/} */
    public String datasetPrefix(String datasetId, String version) {
        return datasetRoot(datasetId) + Checks.id("version", version) + "/";
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/{split}.jsonl} with split train, validation or test. */
    public String split(String datasetId, String version, String split) {
        return datasetPrefix(datasetId, version) + Checks.oneOf("split", split, SPLITS) + ".jsonl";
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/report.json} */
    public String report(String datasetId, String version) {
        return datasetPrefix(datasetId, version) + "report.json";
    }

    /** {@code {tenant}/datasets/{datasetId}/{version}/profile.json}: records, drops, duplicates, personal data, languages. */
    public String profile(String datasetId, String version) {
        return datasetPrefix(datasetId, version) + "profile.json";
    }

    /**
     * {@code {tenant}/datasets/{datasetId}/{version}/cleaning.json}: the complete settings a re-clean asked this version
     * to be cleaned with; written before the version is cleaned (its manifest.json says it is done).
     */
    public String recleanSettings(String datasetId, String version) {
        return datasetPrefix(datasetId, version) + CLEANING_CONFIG;
    }

    /**
     * {@code {tenant}/datasets/{datasetId}/{version}/diff.json}: what changed against the version this one was
     * re-cleaned from (examples added, removed, changed per split, drop counts per rule, settings).
     */
    public String diff(String datasetId, String version) {
        return datasetPrefix(datasetId, version) + "diff.json";
    }

    /** {@code {tenant}/models/base/}: every base model of the tenant, one folder each. */
    public String baseModelsRoot() {
        return tenant + "/models/base/";
    }

    /** {@code {modelPrefix}dataset-erased.json}: written when the dataset a tuned model was trained on is erased. */
    public static String datasetErased(String modelPrefix) {
        return folder("modelPrefix", modelPrefix) + "dataset-erased.json";
    }

    // --- models ---

    /** {@code {tenant}/models/base/{name}/}; a name with '/' (an HF repo id) keeps its sub-folder. */
    public String baseModel(String name) {
        return baseModelsRoot() + relative("name", name) + "/";
    }

    /** {@code {modelPrefix}config.json}: the HF model configuration of a model folder. */
    public static String modelConfig(String modelPrefix) {
        return folder("modelPrefix", modelPrefix) + "config.json";
    }

    /** {@code {tenant}/models/tuned/}: every tuned model of the tenant. */
    public String tunedModelsRoot() {
        return tenant + "/models/tuned/";
    }

    /** {@code {tenant}/models/tuned/{modelId}/} */
    public String tunedModel(String modelId) {
        return tunedModelsRoot() + Checks.id("modelId", modelId) + "/";
    }

    /** {@code {modelPrefix}job.json}: the training job record next to its output. */
    public static String jobRecord(String modelPrefix) {
        return folder("modelPrefix", modelPrefix) + "job.json";
    }

    /** Whether {@code key} under {@link #tunedModelsRoot()} is a job record (not one inside a checkpoint). */
    public static boolean isJobRecord(String key) {
        return key.endsWith("/job.json") && !key.contains("/" + CHECKPOINTS);
    }

    /** {@code {modelPrefix}training.json}: the summary the training worker wrote. */
    public static String trainingSummary(String modelPrefix) {
        return folder("modelPrefix", modelPrefix) + "training.json";
    }

    /** {@code {modelPrefix}metrics.jsonl}: one line of metrics per logged step. */
    public static String metrics(String modelPrefix) {
        return folder("modelPrefix", modelPrefix) + "metrics.jsonl";
    }

    /** {@code {modelPrefix}checkpoints/}: resumable checkpoints of a running job. */
    public static String checkpoints(String modelPrefix) {
        return folder("modelPrefix", modelPrefix) + CHECKPOINTS;
    }

    /** {@code {modelPrefix}checkpoints/step-{step}/} */
    public static String checkpoint(String modelPrefix, int step) {
        return checkpoints(modelPrefix) + "step-" + Checks.nonNegative("step", step) + "/";
    }

    // --- evaluations ---

    /** {@code {tenant}/evals/}: every evaluation of the tenant. */
    public String evalsRoot() {
        return tenant + "/evals/";
    }

    /** {@code {tenant}/evals/{evaluationId}/} (an evaluation after training has the model's id as its id) */
    public String evalPrefix(String evaluationId) {
        return evalsRoot() + Checks.id("evaluationId", evaluationId) + "/";
    }

    /** {@code {tenant}/evals/{evaluationId}/report.{json|html}} */
    public String evalReport(String evaluationId, String format) {
        return evalPrefix(evaluationId) + "report." + Checks.oneOf("format", format, REPORT_FORMATS);
    }

    /** {@code {tenant}/evals/{evaluationId}/evaluation.json}: what was asked, and its state. */
    public String evalRecord(String evaluationId) {
        return evalPrefix(evaluationId) + "evaluation.json";
    }

    /**
     * {@code {tenant}/evals/_index/{by}/{id}/}: one object per evaluation of a model ({@code by} = model) or of a
     * dataset ({@code by} = dataset), named by the evaluation's id.
     */
    public String evalIndex(String by, String id) {
        return evalsRoot() + "_index/" + Checks.oneOf("by", by, List.of("model", "dataset")) + "/"
                + Checks.id(by + "Id", id) + "/";
    }

    /** {@code {tenant}/evals/_sweeps/{sweepId}/}: one object per evaluated candidate of a training sweep. */
    public String evalSweep(String sweepId) {
        return evalsRoot() + "_sweeps/" + Checks.id("sweepId", sweepId) + "/";
    }

    /** {@code {tenant}/evals/_sets/{setId}.jsonl}: an eval set uploaded to the eval service. */
    public String evalSet(String setId) {
        return evalsRoot() + "_sets/" + Checks.id("setId", setId) + ".jsonl";
    }

    // --- sources that stay in sync ---

    /** {@code {tenant}/sources/}: the tenant's synced sources, one folder each. */
    public String sourcesRoot() {
        return tenant + "/sources/";
    }

    /** {@code {tenant}/sources/{sourceId}/spec.json}: what to pull from where (never the credentials themselves). */
    public String sourceSpec(String sourceId) {
        return sourcesRoot() + Checks.id("sourceId", sourceId) + "/spec.json";
    }

    /** {@code {tenant}/sources/{sourceId}/state.json}: the source's cursor, last sync, versions made, last error. */
    public String sourceState(String sourceId) {
        return sourcesRoot() + Checks.id("sourceId", sourceId) + "/state.json";
    }

    /** {@code {tenant}/sources/{sourceId}/lease.json}: which replica syncs the source now, and until when. */
    public String sourceLease(String sourceId) {
        return sourcesRoot() + Checks.id("sourceId", sourceId) + "/lease.json";
    }

    /** {@code _system/sources/}: the index of every tenant's sources, read by the periodic syncs. */
    public static String sourceIndexRoot() {
        return SYSTEM + "sources/";
    }

    /** {@code _system/sources/{tenant}/{sourceId}.json}: one source in the index. */
    public String sourceIndexEntry(String sourceId) {
        return sourceIndexRoot() + tenant + "/" + Checks.id("sourceId", sourceId) + ".json";
    }

    // --- events stored with their data, waiting to be published ---

    /** {@code _system/outbox/}: events written with the data they announce, until the broker has them. */
    public static String outbox() {
        return SYSTEM + "outbox/";
    }

    /** {@code _system/outbox/{tenant}/{eventId}.json}: one event waiting to be published. */
    public String outboxEntry(String eventId) {
        return outbox() + tenant + "/" + Checks.id("eventId", eventId) + ".json";
    }

    // --- events a consumer has handled ---

    /**
     * {@code {tenant}/handled/{consumer}/{eventId}.json}: written by {@code consumer} once its output of the event is
     * stored and published, so that a replayed copy of the event (same id) is recognised and changes nothing.
     */
    public String handledEvent(String consumer, String eventId) {
        return tenant + "/handled/" + Checks.id("consumer", consumer) + "/" + Checks.id("eventId", eventId) + ".json";
    }

    // --- pipeline status ---

    /** {@code {tenant}/status/}: the status entries of every dataset. */
    public String statusRoot() {
        return tenant + "/status/";
    }

    /** {@code {tenant}/status/{datasetId}/}: one object per status entry of the dataset. */
    public String statusPrefix(String datasetId) {
        return statusRoot() + Checks.id("datasetId", datasetId) + "/";
    }

    /** {@code {tenant}/status/{datasetId}/{entry}.json} */
    public String statusEntry(String datasetId, String entry) {
        return statusPrefix(datasetId) + Checks.id("entry", entry) + ".json";
    }

    /** {@code {tenant}/status/{datasetId}.json}: the single status document written before status entries. */
    public String legacyStatus(String datasetId) {
        return statusRoot() + Checks.id("datasetId", datasetId) + ".json";
    }

    /** {@code {tenant}/status/_models/}: links from models to their datasets (no dataset id starts with '_'). */
    public String modelLinks() {
        return statusRoot() + "_models/";
    }

    /** {@code {tenant}/status/_models/{modelId}.json}: the dataset a model was trained on. */
    public String modelLink(String modelId) {
        return modelLinks() + Checks.id("modelId", modelId) + ".json";
    }

    // --- completions and feedback ---

    /** {@code {tenant}/completions/}: every completion logged in the tenant. */
    public String completionsRoot() {
        return tenant + "/completions/";
    }

    /** {@code {tenant}/completions/{completionId}.json}: a completion a deployment logged (opt-in). */
    public String completion(String completionId) {
        return completionsRoot() + Checks.id("completionId", completionId) + ".json";
    }

    /** {@code {tenant}/feedback/{datasetId}/}: everything feedback gave a dataset (pending and collected). */
    public String feedbackRoot(String datasetId) {
        return tenant + "/feedback/" + Checks.id("datasetId", datasetId) + "/";
    }

    /** {@code {tenant}/feedback/{datasetId}/pending/}: examples from feedback the next version of the dataset takes. */
    public String feedbackPending(String datasetId) {
        return feedbackRoot(datasetId) + "pending/";
    }

    /** {@code {tenant}/feedback/{datasetId}/pending/{completionId}.jsonl}: one example (one line). */
    public String feedbackExample(String datasetId, String completionId) {
        return feedbackPending(datasetId) + Checks.id("completionId", completionId) + ".jsonl";
    }

    /** {@code {tenant}/feedback/{datasetId}/collected/{uploadId}/}: the examples a version of the dataset took. */
    public String feedbackCollected(String datasetId, String uploadId) {
        return feedbackRoot(datasetId) + "collected/" + Checks.id("uploadId", uploadId) + "/";
    }

    // --- platform records, outside every tenant ---

    /** {@code _system/api-keys/}: the records of every API key of every tenant. */
    public static String apiKeysRoot() {
        return SYSTEM + "api-keys/";
    }

    /** {@code _system/api-keys/{keyId}.json} */
    public static String apiKey(String keyId) {
        return apiKeysRoot() + Checks.id("keyId", keyId) + ".json";
    }

    /** {@code prefix + "manifest.json"}: the lineage record next to an output. */
    public static String manifest(String prefix) {
        if (prefix == null || !(prefix.isEmpty() || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("manifest prefix must end with '/', got '" + prefix + "'");
        }
        return prefix + MANIFEST;
    }

    /** The prefix itself when it ends in '/', else its parent folder ({@code a/b/c.json} → {@code a/b/}). */
    public static String folderOf(String key) {
        return key.endsWith("/") ? key : key.substring(0, key.lastIndexOf('/') + 1);
    }

    private static String folder(String field, String prefix) {
        if (prefix == null || !prefix.endsWith("/")) {
            throw new IllegalArgumentException(field + " must end with '/', got '" + prefix + "'");
        }
        return prefix;
    }

    private static String relative(String field, String path) {
        Checks.notBlank(field, path);
        if (path.startsWith("/") || path.endsWith("/") || path.contains("//") || path.contains("\\")
                || path.chars().anyMatch(Character::isISOControl)
                || List.of(path.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException(field + " must be a relative path with '/' separators, no '.' or '..'"
                    + " segments, no leading or trailing '/' and no control characters, got '" + path + "'");
        }
        return path;
    }
}
