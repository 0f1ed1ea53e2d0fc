package dev.tailor.common.status;

import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.status.PipelineStatus.Stage;
import dev.tailor.common.status.PipelineStatus.StageError;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The pipeline status of a dataset as a pure function of its entries (events and dead letters): the one reducer
 * behind ingest's {@code GET /v1/datasets/{id}} and the CLI's pipeline view. Entries are applied in time order
 * (pipeline order for equal times); the same entry twice changes nothing, and a late progress report never moves a
 * finished stage back.
 */
public final class StatusReducer {
    /** The stage that consumes each topic, i.e. the stage that failed when a record of it is dead-lettered. */
    static final Map<String, String> STAGE_OF_TOPIC = Map.of(
            Topics.INGEST_REQUESTED, "ingested",
            Topics.DATASET_INGESTED, "cleaned",
            Topics.DATASET_CLEANED, "training",
            Topics.TRAINING_REQUESTED, "training",
            Topics.TRAINING_PROGRESS, "training",
            Topics.MODEL_TRAINED, "evaluated",
            Topics.MODEL_EVALUATED, "deployed",
            Topics.MODEL_DEPLOYMENTS, "deployed");
    private static final Comparator<StatusEntry> ORDER = Comparator.comparing(StatusEntry::at)
            .thenComparingInt(StatusEntry::order);

    /** The stages that belong to one training run; a new run starts them afresh. */
    static final List<String> RUN_STAGES = List.of("training", "trained", "evaluated", "deployed");
    private static final java.util.Set<String> TERMINAL = java.util.Set.of(TrainingProgress.SUCCEEDED,
            TrainingProgress.FAILED, TrainingProgress.CANCELLED);

    private final PipelineStatus s = new PipelineStatus();
    private final Map<String, PipelineStatus.Run> runs = new java.util.LinkedHashMap<>();
    private final Map<String, String> jobOfModel = new java.util.HashMap<>();
    private boolean autoTrain;
    private String currentJob;

    private StatusReducer(String tenant, String datasetId) {
        s.tenant = tenant;
        s.datasetId = datasetId;
    }

    /** The status of dataset {@code datasetId} after {@code entries} (in any order). */
    public static PipelineStatus reduce(String tenant, String datasetId, Collection<StatusEntry> entries) {
        StatusReducer r = new StatusReducer(tenant, datasetId);
        List<StatusEntry> sorted = entries.stream().distinct().sorted(ORDER).toList();
        for (StatusEntry e : sorted) {
            r.apply(e);
        }
        return r.s;
    }

    /** The stage a dead letter of {@code topic} (with or without {@code .dlq}) failed in. */
    public static String stageOf(String topic) {
        String main = topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : topic;
        return STAGE_OF_TOPIC.getOrDefault(main, main);
    }

    private void apply(StatusEntry e) {
        if (e.deadLetter()) {
            fail(stageOf(e.topic()), e.topic(), e.error(), e.at());
            return;
        }
        Object event = e.event();
        if (event instanceof DatasetIngested i) {
            ingested(i, e);
        } else if (event instanceof DatasetCleaned c) {
            cleaned(c);
        } else if (event instanceof TrainingRequested r) {
            trainingRequested(r);
        } else if (event instanceof TrainingProgress p) {
            progress(p);
        } else if (event instanceof ModelTrained t) {
            trained(t);
        } else if (event instanceof ModelEvaluated v) {
            evaluated(v);
        } else if (event instanceof ModelDeployment d) {
            deployed(d);
        } // an IngestRequested has no status of its own: its outcome is dataset.ingested or a dead letter
    }

    private void ingested(DatasetIngested e, StatusEntry entry) {
        s.name = e.name();
        s.state = "IN_PROGRESS"; // a new upload (version) is on its way through the pipeline
        s.created = s.created == null || e.occurredAt().isBefore(s.created) ? e.occurredAt() : s.created;
        Stage st = set("ingested", PipelineStatus.DONE, e.occurredAt());
        st.details.put("format", e.format());
        st.details.put("records", e.records());
        st.details.put("contentSha256", e.contentSha256());
        st.details.putAll(entry.details());
        st.outputs.put("raw", e.rawPrefix());
        st.outputs.put("manifest", e.manifest());
        set("cleaned", PipelineStatus.RUNNING, e.occurredAt());
        Stage training = s.stage("training");
        if (entry.training() == null) {
            return;
        }
        autoTrain = entry.training().autoTrain();
        if (!autoTrain) {
            training.details.put("note", "autoTrain=false: start training with POST /v1/training-jobs");
        } else if (entry.training().baseModel() != null) {
            training.details.put("baseModel", entry.training().baseModel());
        }
    }

    private void cleaned(DatasetCleaned e) {
        Stage st = set("cleaned", PipelineStatus.DONE, e.occurredAt());
        st.details.put("version", e.version());
        st.details.put("train", e.trainCount());
        st.details.put("validation", e.validationCount());
        st.details.put("test", e.testCount());
        st.outputs.put("train", e.train());
        st.outputs.put("validation", e.validation());
        st.outputs.put("test", e.test());
        st.outputs.put("report", e.report());
        PipelineStatus.Version v = new PipelineStatus.Version();
        v.version = e.version();
        v.at = e.occurredAt();
        v.counts.put("train", e.trainCount());
        v.counts.put("validation", e.validationCount());
        v.counts.put("test", e.testCount());
        v.outputs.putAll(st.outputs);
        s.versions.removeIf(old -> old.version.equals(v.version));
        s.versions.add(v);
        Stage training = s.stage("training");
        if (e.trainCount() + e.validationCount() + e.testCount() == 0) {
            // valid input without examples yet (e.g. e-mails whose replies come in a later upload): not a failure
            st.details.put("note", "0 examples yet: the report says why (e.g. e-mails waiting for their replies);"
                    + " upload the rest as a new version (POST /v1/datasets/" + e.datasetId() + "/versions)");
            training.details.put("note", "nothing to train on yet: version " + e.version() + " has 0 examples");
            s.state = PipelineStatus.WAITING;
            return;
        }
        if (PipelineStatus.WAITING.equals(s.state)) {
            s.state = "IN_PROGRESS";
        }
        if (autoTrain && PipelineStatus.PENDING.equals(training.state)) {
            training.details.put("note", "waiting for the training service");
        } else if (!autoTrain && (currentJob == null || TERMINAL.contains(runs.get(currentJob).state))
                && !"FAILED".equals(s.state)) {
            s.state = PipelineStatus.READY; // cleaned and nothing asked to train it: waiting for the user, not in progress
        }
    }

    /** The run of job {@code jobId}, created when first seen. */
    private PipelineStatus.Run run(String jobId, Instant at) {
        PipelineStatus.Run r = runs.computeIfAbsent(jobId, id -> {
            PipelineStatus.Run n = new PipelineStatus.Run();
            n.jobId = id;
            s.jobs.add(n);
            return n;
        });
        r.at = at;
        return r;
    }

    /**
     * Makes job {@code jobId} the one the stages show: when it is another job than the current one, the run's
     * stages start afresh (a retrain does not inherit the previous run's rejection or error).
     */
    private void focus(String jobId) {
        if (jobId.equals(currentJob)) {
            return;
        }
        currentJob = jobId;
        for (String name : RUN_STAGES) {
            s.stages.put(name, new Stage());
        }
        s.errors.removeIf(err -> RUN_STAGES.contains(err.stage()));
        s.state = "IN_PROGRESS";
    }

    /** Whether an event of job {@code jobId} that cannot start a run (an end state) should move the stages. */
    private boolean current(String jobId) {
        if (currentJob == null) {
            focus(jobId);
        }
        return jobId.equals(currentJob);
    }

    private void trainingRequested(TrainingRequested e) {
        PipelineStatus.Run run = run(e.jobId(), e.occurredAt());
        run.baseModel = e.baseModel();
        run.datasetVersion = e.datasetVersion() != null ? e.datasetVersion() : run.datasetVersion;
        if (TERMINAL.contains(run.state)) {
            return; // a redelivered request of a finished job
        }
        focus(e.jobId());
        Stage st = s.stage("training");
        if (PipelineStatus.PENDING.equals(st.state)) {
            set("training", "QUEUED", e.occurredAt());
        }
        st.details.remove("note");
        st.details.put("jobId", e.jobId());
        st.details.put("baseModel", e.baseModel());
        if (e.datasetVersion() != null) {
            st.details.put("datasetVersion", e.datasetVersion());
        }
    }

    private void progress(TrainingProgress p) {
        PipelineStatus.Run run = run(p.jobId(), p.occurredAt());
        if (TERMINAL.contains(run.state)) {
            return; // a late report of a finished job
        }
        run.state = p.state();
        run.datasetVersion = p.datasetVersion() != null ? p.datasetVersion() : run.datasetVersion;
        run.modelId = p.modelId() != null ? p.modelId() : run.modelId;
        run.message = p.message();
        if (p.modelId() != null) {
            jobOfModel.put(p.modelId(), p.jobId());
        }
        if (!TERMINAL.contains(p.state())) {
            focus(p.jobId());
        } else if (!current(p.jobId())) {
            return;
        }
        Stage st = s.stage("training");
        if (PipelineStatus.DONE.equals(st.state) || PipelineStatus.FAILED.equals(st.state)
                || PipelineStatus.CANCELLED.equals(st.state)) {
            return; // a late progress event must not move a finished job back
        }
        String state = switch (p.state()) {
            case TrainingProgress.SUCCEEDED -> PipelineStatus.DONE;
            case TrainingProgress.FAILED -> PipelineStatus.FAILED;
            case TrainingProgress.CANCELLED -> PipelineStatus.CANCELLED;
            default -> p.state();
        };
        set("training", state, p.occurredAt());
        st.details.remove("note");
        st.details.put("jobId", p.jobId());
        putIfNotNull(st.details, "modelId", p.modelId());
        putIfNotNull(st.details, "datasetVersion", p.datasetVersion());
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
        if (PipelineStatus.FAILED.equals(state)) {
            fail("training", Topics.TRAINING_PROGRESS, p.message() == null ? "training failed" : p.message(),
                    p.occurredAt());
        }
    }

    private void trained(ModelTrained e) {
        PipelineStatus.Run run = run(e.jobId(), e.occurredAt());
        run.state = TrainingProgress.SUCCEEDED;
        run.modelId = e.modelId();
        run.datasetVersion = e.datasetVersion();
        run.baseModel = e.baseModel();
        jobOfModel.put(e.modelId(), e.jobId());
        if (!current(e.jobId())) {
            return;
        }
        Stage training = s.stage("training");
        if (!PipelineStatus.DONE.equals(training.state)) {
            set("training", PipelineStatus.DONE, e.occurredAt());
        }
        training.details.put("jobId", e.jobId());
        Stage st = set("trained", PipelineStatus.DONE, e.occurredAt());
        st.details.put("modelId", e.modelId());
        st.details.put("jobId", e.jobId());
        st.details.put("baseModel", e.baseModel());
        st.details.put("datasetVersion", e.datasetVersion());
        putIfNotNull(st.details, "trainLoss", e.trainLoss());
        putIfNotNull(st.details, "validationLoss", e.validationLoss());
        st.outputs.put("adapter", e.adapter());
        if (PipelineStatus.PENDING.equals(s.stage("evaluated").state)) {
            set("evaluated", PipelineStatus.RUNNING, e.occurredAt());
        }
    }

    private void evaluated(ModelEvaluated e) {
        String jobId = jobOfModel.get(e.modelId());
        if (jobId != null) {
            PipelineStatus.Run run = runs.get(jobId);
            run.verdict = e.verdict();
            run.reason = e.reason();
            run.evaluationId = e.evaluationId();
            if (!current(jobId)) {
                return;
            }
        }
        Stage st = set("evaluated", PipelineStatus.DONE, e.occurredAt());
        st.details.put("modelId", e.modelId());
        st.details.put("verdict", e.verdict());
        st.details.put("reason", e.reason());
        st.details.put("baseLoss", e.baseLoss());
        st.details.put("tunedLoss", e.tunedLoss());
        st.outputs.put("report", e.report());
        if (e.report().endsWith(".json")) {
            st.outputs.put("reportHtml", e.report().substring(0, e.report().length() - ".json".length()) + ".html");
        }
        if (e.reportUrl() != null) {
            st.outputs.put("reportUrl", e.reportUrl());
        }
        if (e.evaluationId() != null) {
            st.details.put("evaluationId", e.evaluationId());
        }
        if (ModelEvaluated.REJECT.equals(e.verdict())) {
            set("deployed", PipelineStatus.SKIPPED, e.occurredAt()).details.put("reason",
                    "the tuned model was rejected: " + e.reason());
            s.state = "REJECTED";
        } else if (!PipelineStatus.DONE.equals(s.stage("deployed").state)) {
            set("deployed", PipelineStatus.RUNNING, e.occurredAt());
        }
    }

    private void deployed(ModelDeployment e) {
        String jobId = jobOfModel.get(e.modelId());
        if (jobId != null) {
            PipelineStatus.Run run = runs.get(jobId);
            run.deployedAs = e.active() ? e.alias() : null;
            if (!current(jobId)) {
                return;
            }
        }
        Stage st = set("deployed", e.active() ? PipelineStatus.DONE : PipelineStatus.SKIPPED, e.occurredAt());
        st.details.put("alias", e.alias());
        st.details.put("modelId", e.modelId());
        st.details.put("active", e.active());
        if (e.adapter() != null) {
            st.outputs.put("adapter", e.adapter());
        }
        if (e.active()) {
            s.state = "SUCCEEDED";
        }
    }

    /** A stage failed: its record went to a dead-letter topic, or it reported a failure. */
    private void fail(String stage, String topic, String message, Instant at) {
        StageError err = new StageError(stage, topic, message, at);
        if (!s.errors.contains(err)) {
            s.errors.add(err);
        }
        Stage st = s.stages.get(stage);
        if (st != null && !PipelineStatus.DONE.equals(st.state)) {
            set(stage, PipelineStatus.FAILED, at).details.put("error", message);
        }
        s.state = "FAILED";
    }

    private Stage set(String name, String newState, Instant at) {
        Stage st = s.stage(name);
        st.state = newState;
        st.at = at;
        if (!PipelineStatus.PENDING.equals(newState) && !PipelineStatus.SKIPPED.equals(newState)) {
            s.stage = name;
        }
        s.updated = at == null || s.updated != null && s.updated.isAfter(at) ? s.updated : at;
        return st;
    }

    private static void putIfNotNull(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
