package dev.tailor.eval.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.domain.advice.Leakage;
import dev.tailor.eval.domain.advice.LossPoint;
import dev.tailor.eval.domain.report.EvalReport;
import dev.tailor.eval.domain.report.ReportHtml;
import dev.tailor.eval.domain.request.EvaluationRecord;
import dev.tailor.eval.domain.testset.TestCase;
import dev.tailor.eval.domain.testset.TestSetReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant's eval objects in S3: what it reads (test sets, model folders, training metrics, cleaning reports) and
 * what it writes (reports, evaluation records, indexes, sweep decisions). Every key or URI it is given to read must
 * lie under the tenant's prefix (an event or a request cannot make it read another tenant's objects); models are
 * cached in a folder of the tenant's own. {@link EvalStores} hands out one per tenant.
 */
public final class EvalStore {
    private final ObjectStore store;
    private final ObjectLayout layout;
    private final LocalModelCache cache;

    public EvalStore(ObjectStore store, ObjectLayout layout, Path cacheDir) {
        this.store = store;
        this.layout = layout;
        this.cache = new LocalModelCache(store, cacheDir);
    }

    public ObjectStore objects() {
        return store;
    }

    public ObjectLayout layout() {
        return layout;
    }

    // --- inputs ---

    /** The first {@code max} examples of a test split or eval set of this tenant. */
    public List<TestCase> testSet(String key, int max) {
        layout.owned("testSet", key);
        try (InputStream in = store.get(key)) {
            return TestSetReader.read(in, store.uri(key), max);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + store.uri(key), e);
        }
    }

    /** A base model's folder, downloaded once. */
    public Path baseModel(String name) {
        return cache.folder("base", name, layout.baseModel(name), false);
    }

    /** Whether a base model is in S3. */
    public boolean baseModelExists(String name) {
        return store.exists(ObjectLayout.modelConfig(layout.baseModel(name)));
    }

    /** A tuned model's folder (adapter or full checkpoint), downloaded fresh. */
    public Path tunedModel(String modelId, String prefix) {
        layout.owned("adapter", prefix);
        return cache.folder("tuned", modelId, prefix, true);
    }

    /** The training summary ({@code training.json}) of a tuned model, when there is one. */
    public Optional<JsonNode> trainingSummary(String modelPrefix) {
        layout.owned("adapter", modelPrefix);
        String key = ObjectLayout.trainingSummary(modelPrefix);
        return store.exists(key) ? Optional.of(Json.read(store.getBytes(key), JsonNode.class)) : Optional.empty();
    }

    /** The training loss curve from {@code metrics.jsonl}, empty when there is none. */
    public List<LossPoint> lossCurve(String modelPrefix) {
        layout.owned("adapter", modelPrefix);
        String key = ObjectLayout.metrics(modelPrefix);
        if (!store.exists(key)) {
            return List.of();
        }
        List<LossPoint> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(store.get(key), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Json.read(line.getBytes(StandardCharsets.UTF_8), JsonNode.class);
                double loss = n.path("loss").isNumber() ? n.path("loss").asDouble() : Double.NaN;
                double val = n.path("validation_loss").isNumber() ? n.path("validation_loss").asDouble() : Double.NaN;
                out.add(new LossPoint(Math.max(0, n.path("step").asLong()), Math.max(0, n.path("epoch").asDouble()),
                        loss, val));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + store.uri(key), e);
        }
        out.sort(Comparator.comparingLong(LossPoint::step));
        return out;
    }

    /**
     * Test examples that near-duplicate training examples, from the cleaning report's {@code leakage} object
     * ({@code testExamples}, {@code nearDuplicates}, {@code threshold}); null when the report has none.
     */
    public Leakage leakage(String cleaningReportKey) {
        if (cleaningReportKey == null || !store.exists(layout.owned("cleaningReport", cleaningReportKey))) {
            return null;
        }
        JsonNode l = Json.read(store.getBytes(cleaningReportKey), JsonNode.class).path("leakage");
        if (!l.path("testExamples").isNumber() || !l.path("nearDuplicates").isNumber()) {
            return null;
        }
        return new Leakage(l.path("testExamples").asInt(), l.path("nearDuplicates").asInt(),
                l.path("threshold").asDouble(0.5));
    }

    /** A UTF-8 text object of this tenant (a general-text sample). */
    public String text(String uri) {
        return store.getString(layout.owned("generalText", store.keyOf(uri)));
    }

    /** Whether an object of this tenant exists at {@code uri}; another tenant's object never does. */
    public boolean exists(String uri) {
        String key = store.keyOf(uri);
        return key.startsWith(layout.root()) && !key.contains("/../") && store.exists(key);
    }

    // --- reports ---

    public Optional<EvalReport> report(String evaluationId) {
        String key = layout.evalReport(evaluationId, "json");
        return store.exists(key) ? Optional.of(store.getJson(key, EvalReport.class)) : Optional.empty();
    }

    public Optional<String> reportHtml(String evaluationId) {
        String key = layout.evalReport(evaluationId, "html");
        return store.exists(key) ? Optional.of(store.getString(key)) : Optional.empty();
    }

    /**
     * Writes report.html, then report.json, then the manifest (the json is what marks the work as done).
     *
     * @param principal who the evaluation was done for (the requester, or whoever caused the training), or null
     */
    public void writeReport(EvalReport report, Map<String, Object> settings, String principal) {
        String html = layout.evalReport(report.evaluationId(), "html");
        String json = layout.evalReport(report.evaluationId(), "json");
        store.putString(html, ReportHtml.render(report), "text/html");
        store.putJson(json, report);
        var l = report.lineage();
        Manifest.Builder manifest = Manifest.of("eval-service", layout.tenant())
                .input("tuned", report.tuned().adapter() == null ? store.uri(layout.baseModel(report.tuned().id()))
                        : report.tuned().adapter())
                .input("baseline", report.baseline().adapter() == null
                        ? store.uri(layout.baseModel(report.baseline().id())) : report.baseline().adapter())
                .input("testSet", l.testSet()).output("report", store.uri(json)).output("html", store.uri(html))
                .count("examples", report.examples()).count("generated", report.generated())
                .detail("settings", settings).principal(principal);
        if (l.datasetId() != null && l.datasetVersion() != null) {
            manifest.dataset(l.datasetId(), l.datasetVersion());
        }
        if (l.jobId() != null) {
            manifest.job(l.jobId(), report.tuned().id());
        }
        store.putJson(ObjectLayout.manifest(layout.evalPrefix(report.evaluationId())), manifest.build());
    }

    // --- evaluation records and indexes ---

    public Optional<EvaluationRecord> record(String evaluationId) {
        String key = layout.evalRecord(evaluationId);
        return store.exists(key) ? Optional.of(store.getJson(key, EvaluationRecord.class)) : Optional.empty();
    }

    /**
     * Writes the record and indexes it under its model and dataset; an unfinished one is also kept in the index of
     * every tenant's unfinished evaluations ({@link ObjectLayout#unfinishedEvaluation}) for resuming.
     */
    public void putRecord(EvaluationRecord r) {
        store.putJson(layout.evalRecord(r.evaluationId()), r);
        String unfinished = ObjectLayout.unfinishedEvaluation(layout.tenant(), r.evaluationId());
        if (r.finished()) {
            store.delete(unfinished);
        } else {
            store.putJson(unfinished, Map.of("tenant", layout.tenant(), "evaluationId", r.evaluationId()));
        }
        store.putJson(layout.evalIndex("model", r.modelId()) + r.evaluationId() + ".json",
                Map.of("evaluationId", r.evaluationId()));
        if (r.datasetId() != null) {
            store.putJson(layout.evalIndex("dataset", r.datasetId()) + r.evaluationId() + ".json",
                    Map.of("evaluationId", r.evaluationId()));
        }
    }

    /** The evaluations indexed under a model ({@code by} = model) or dataset, newest first. */
    public List<EvaluationRecord> records(String by, String id) {
        String prefix = layout.evalIndex(by, id);
        List<EvaluationRecord> out = new ArrayList<>();
        for (ObjectInfo o : store.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.endsWith(".json")) {
                record(name.substring(0, name.length() - ".json".length())).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(EvaluationRecord::createdAt).reversed());
        return out;
    }

    /** Stores an uploaded eval set; returns its s3 URI. */
    public String putEvalSet(String setId, byte[] jsonl) {
        String key = layout.evalSet(setId);
        store.putBytes(key, jsonl, "application/x-ndjson");
        return store.uri(key);
    }

    // --- sweeps ---

    /** Records an evaluated sweep candidate (its report's id). */
    public void putSweepCandidate(String sweepId, String modelId, String evaluationId) {
        store.putJson(layout.evalSweep(sweepId) + modelId + ".json", Map.of("modelId", modelId,
                "evaluationId", evaluationId));
    }

    /** The evaluation ids of a sweep's evaluated candidates. */
    public List<String> sweepCandidates(String sweepId) {
        List<String> out = new ArrayList<>();
        for (ObjectInfo o : store.list(layout.evalSweep(sweepId))) {
            out.add(Json.read(store.getBytes(o.key()), JsonNode.class).path("evaluationId").asText());
        }
        return out;
    }
}
