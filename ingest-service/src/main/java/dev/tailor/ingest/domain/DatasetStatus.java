package dev.tailor.ingest.domain;

import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a dataset is in the pipeline: one entry per stage (ingested, cleaned, training, trained,
 * evaluated, deployed) with its state, details and links (s3 URIs) to its outputs, plus every error
 * reported for it. Built from the pipeline's events; applying an event twice changes nothing but
 * {@code updated}. Serialized as JSON (public fields).
 */
public final class DatasetStatus {
    public static final List<String> STAGES = List.of("ingested", "cleaned", "training", "trained", "evaluated", "deployed");
    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED = "SKIPPED";

    /** One stage: state, when it last changed, what it reported, and its outputs. */
    public static final class Stage {
        public String state = PENDING;
        public Instant at;
        public Map<String, Object> details = new LinkedHashMap<>();
        public Map<String, String> outputs = new LinkedHashMap<>();
    }

    /** An error a stage reported (a record sent to a dead-letter topic). */
    public record StageError(String stage, String topic, String message, Instant at) {
    }

    public String datasetId;
    public String tenant;
    public String name;
    /** The last stage that finished or is running. */
    public String stage;
    /** IN_PROGRESS, SUCCEEDED (deployed, or evaluated when auto-deploy does not apply), REJECTED or FAILED. */
    public String state = "IN_PROGRESS";
    public Instant created;
    public Instant updated;
    public Map<String, Stage> stages = new LinkedHashMap<>();
    public List<StageError> errors = new ArrayList<>();

    public DatasetStatus() {
        for (String s : STAGES) {
            stages.put(s, new Stage());
        }
    }

    public static DatasetStatus ingested(DatasetIngested e, Map<String, Object> details) {
        DatasetStatus s = new DatasetStatus();
        s.datasetId = e.datasetId();
        s.tenant = e.tenant();
        s.name = e.name();
        s.created = e.occurredAt();
        Stage st = s.set("ingested", DONE, e.occurredAt());
        st.details.put("format", e.format());
        st.details.put("records", e.records());
        st.details.put("contentSha256", e.contentSha256());
        st.details.putAll(details);
        st.outputs.put("raw", e.rawPrefix());
        st.outputs.put("manifest", e.manifest());
        s.set("cleaned", RUNNING, e.occurredAt());
        if (!e.autoTrain()) {
            s.stages.get("training").details.put("note", "autoTrain=false: start training with POST /v1/training-jobs");
        } else if (e.baseModel() != null) {
            s.stages.get("training").details.put("baseModel", e.baseModel());
        }
        return s;
    }

    public void cleaned(DatasetCleaned e) {
        Stage st = set("cleaned", DONE, e.occurredAt());
        st.details.put("version", e.version());
        st.details.put("train", e.trainCount());
        st.details.put("validation", e.validationCount());
        st.details.put("test", e.testCount());
        st.outputs.put("train", e.train());
        st.outputs.put("validation", e.validation());
        st.outputs.put("test", e.test());
        st.outputs.put("report", e.report());
        if (e.autoTrain() && PENDING.equals(stages.get("training").state)) {
            stages.get("training").details.put("note", "waiting for the training service");
        }
    }

    public void trainingRequested(TrainingRequested e) {
        Stage st = stages.get("training");
        if (PENDING.equals(st.state)) {
            set("training", "QUEUED", e.occurredAt());
        }
        st.details.remove("note");
        st.details.put("jobId", e.jobId());
        st.details.put("baseModel", e.baseModel());
        if (e.datasetVersion() != null) {
            st.details.put("datasetVersion", e.datasetVersion());
        }
    }

    public void progress(TrainingProgress p) {
        Stage st = stages.get("training");
        if (DONE.equals(st.state) || FAILED.equals(st.state)) {
            return; // a late progress event must not move a finished job back
        }
        String state = switch (p.state()) {
            case "SUCCEEDED" -> DONE;
            case "FAILED" -> FAILED;
            case "CANCELLED" -> "CANCELLED";
            default -> p.state();
        };
        set("training", state, p.occurredAt());
        st.details.remove("note");
        st.details.put("jobId", p.jobId());
        st.details.put("step", p.step());
        st.details.put("totalSteps", p.totalSteps());
        st.details.put("epoch", p.epoch());
        if (p.totalSteps() > 0) {
            st.details.put("percent", Math.round(1000.0 * p.step() / p.totalSteps()) / 10.0);
        }
        putIfNotNull(st.details, "loss", p.loss());
        putIfNotNull(st.details, "validationLoss", p.validationLoss());
        putIfNotNull(st.details, "learningRate", p.learningRate());
        putIfNotNull(st.details, "tokensPerSecond", p.tokensPerSecond());
        putIfNotNull(st.details, "etaSeconds", p.etaSeconds());
        putIfNotNull(st.details, "message", p.message());
        if (FAILED.equals(state)) {
            fail("training", "tailor.training.progress", p.message() == null ? "training failed" : p.message(), p.occurredAt());
        }
    }

    public void trained(ModelTrained e) {
        Stage training = stages.get("training");
        if (!DONE.equals(training.state)) {
            set("training", DONE, e.occurredAt());
        }
        training.details.put("jobId", e.jobId());
        Stage st = set("trained", DONE, e.occurredAt());
        st.details.put("modelId", e.modelId());
        st.details.put("jobId", e.jobId());
        st.details.put("baseModel", e.baseModel());
        st.details.put("datasetVersion", e.datasetVersion());
        putIfNotNull(st.details, "trainLoss", e.trainLoss());
        putIfNotNull(st.details, "validationLoss", e.validationLoss());
        st.outputs.put("adapter", e.adapter());
        set("evaluated", RUNNING, e.occurredAt());
    }

    public void evaluated(ModelEvaluated e) {
        Stage st = set("evaluated", DONE, e.occurredAt());
        st.details.put("modelId", e.modelId());
        st.details.put("verdict", e.verdict());
        st.details.put("reason", e.reason());
        st.details.put("baseLoss", e.baseLoss());
        st.details.put("tunedLoss", e.tunedLoss());
        st.outputs.put("report", e.report());
        if ("REJECT".equals(e.verdict())) {
            set("deployed", SKIPPED, e.occurredAt()).details.put("reason", "the tuned model was rejected: " + e.reason());
            state = "REJECTED";
        } else {
            set("deployed", RUNNING, e.occurredAt());
        }
    }

    public void deployed(ModelDeployment e) {
        Stage st = set("deployed", e.active() ? DONE : SKIPPED, e.occurredAt());
        st.details.put("alias", e.alias());
        st.details.put("modelId", e.modelId());
        st.details.put("active", e.active());
        if (e.adapter() != null) {
            st.outputs.put("adapter", e.adapter());
        }
        if (e.active()) {
            state = "SUCCEEDED";
        }
    }

    /** A stage failed: its record went to a dead-letter topic, or it reported a failure. */
    public void fail(String stage, String topic, String message, Instant at) {
        StageError err = new StageError(stage, topic, message, at);
        if (!errors.contains(err)) {
            errors.add(err);
        }
        Stage st = stages.get(stage);
        if (st != null && !DONE.equals(st.state)) {
            set(stage, FAILED, at).details.put("error", message);
        }
        state = "FAILED";
    }

    private Stage set(String name, String newState, Instant at) {
        Stage st = stages.get(name);
        st.state = newState;
        st.at = at;
        if (!PENDING.equals(newState) && !SKIPPED.equals(newState)) {
            stage = name;
        }
        updated = at == null || updated != null && updated.isAfter(at) ? updated : at;
        return st;
    }

    private static void putIfNotNull(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
