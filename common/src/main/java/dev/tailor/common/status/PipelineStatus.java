package dev.tailor.common.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a dataset is in the pipeline: one entry per stage (ingested, cleaned, training, trained, evaluated,
 * deployed) with its state, details and links (s3 URIs) to its outputs, plus every error reported for it. Made only
 * by {@link StatusReducer} from the dataset's events; serialized as JSON (public fields) by ingest's
 * {@code GET /v1/datasets/{id}}.
 */
public final class PipelineStatus {
    public static final List<String> STAGES = List.of("ingested", "cleaned", "training", "trained", "evaluated", "deployed");
    public static final String PENDING = "PENDING";
    /** The dataset's newest version was cleaned and has no examples yet (e.g. e-mails waiting for their replies). */
    public static final String WAITING = "WAITING";
    /** The dataset's newest version was cleaned and nothing asked to train it (an upload without autoTrain). */
    public static final String READY = "READY";
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED = "SKIPPED";
    public static final String CANCELLED = "CANCELLED";

    /** One stage: state, when it last changed, what it reported, and its outputs. */
    public static final class Stage {
        public String state = PENDING;
        public Instant at;
        public Map<String, Object> details = new LinkedHashMap<>();
        public Map<String, String> outputs = new LinkedHashMap<>();
    }

    /** An error a stage reported (a record sent to a dead-letter topic, or a failed job). */
    public record StageError(String stage, String topic, String message, Instant at) {
    }

    /** A cleaned version of the dataset: its split sizes and report. */
    public static final class Version {
        public String version;
        public Instant at;
        public Map<String, Object> counts = new LinkedHashMap<>();
        public Map<String, String> outputs = new LinkedHashMap<>();
    }

    /**
     * One training run of the dataset (auto-trained or started by hand): its own state, model, evaluation verdict
     * and reason, and whether it is deployed. A run's reasons stay with it; a newer run does not inherit them.
     */
    public static final class Run {
        public String jobId;
        public String state = "QUEUED";
        public Instant at;
        public String datasetVersion;
        public String baseModel;
        public String modelId;
        public String verdict;
        public String reason;
        public String evaluationId;
        public String deployedAs;
        public String message;
    }

    public String datasetId;
    public String tenant;
    public String name;
    /** The last stage that finished or is running. */
    public String stage;
    /**
     * IN_PROGRESS, READY (cleaned, no training requested: an upload without autoTrain), SUCCEEDED (deployed, or
     * evaluated when auto-deploy does not apply), REJECTED (the latest run's model was rejected), FAILED, or
     * {@link #WAITING} (cleaned, but no examples yet); it describes the latest run.
     */
    public String state = "IN_PROGRESS";
    public Instant created;
    public Instant updated;
    public Map<String, Stage> stages = new LinkedHashMap<>();
    public List<StageError> errors = new ArrayList<>();
    /** Every cleaned version, oldest first. */
    public List<Version> versions = new ArrayList<>();
    /** Every training run on the dataset, oldest first; the stages above show the latest. */
    public List<Run> jobs = new ArrayList<>();

    public PipelineStatus() {
        for (String s : STAGES) {
            stages.put(s, new Stage());
        }
    }

    /** The stage of this name ({@link #STAGES}). */
    public Stage stage(String name) {
        Stage s = stages.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no stage '" + name + "'; stages are " + STAGES);
        }
        return s;
    }
}
