package dev.tailor.cli.demo;

import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.Terminal;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TailorEvent;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.PipelineStatus;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.status.StatusReducer;
import dev.tailor.localstack.TopicTail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Follows one dataset through the pipeline from its events and draws a line per stage: a live line while the stage
 * runs (training: step, loss, tokens/s, ETA), a finished line with its figures. The status is the pipeline's one
 * reducer ({@link StatusReducer}, the same as ingest's {@code GET /v1/datasets/{id}}) over this dataset's events;
 * this class only picks the dataset's events and draws the status's changes.
 */
final class PipelineView {

    private final Terminal term;
    private final String datasetId;
    private final List<StatusEntry> entries = new ArrayList<>();
    private final Set<String> otherJobs = new HashSet<>();
    private PipelineStatus status;
    private String stage = "ingest";
    private long stageStart = System.nanoTime();
    private String failure;
    private ModelEvaluated evaluation;
    private ModelDeployment deployment;
    private String liveDetail = "waiting for the ingest service";

    PipelineView(Terminal term, String datasetId) {
        this.term = term;
        this.datasetId = datasetId;
        this.status = StatusReducer.reduce("default", datasetId, List.of());
    }

    boolean evaluated() {
        return evaluation != null;
    }

    ModelEvaluated evaluation() {
        return evaluation;
    }

    /** The deployment published for the tuned model, if any arrived yet. */
    ModelDeployment deployment() {
        return deployment;
    }

    /** Why the pipeline stopped for this dataset, or null while it is healthy. */
    String failure() {
        return failure;
    }

    /** Redraws the live line (elapsed time keeps moving even without events). */
    void tick() {
        if (evaluation == null && failure == null) {
            term.live(label(stage) + liveDetail + "  " + ProgressBar.elapsed(stageStart));
        }
    }

    void accept(TopicTail.Event e) {
        StatusEntry entry;
        try {
            entry = e.topic().endsWith(".dlq") ? deadLetter(e) : event(e);
        } catch (RuntimeException unreadable) {
            return; // an event of another schema version or producer: not ours to judge here
        }
        if (entry == null) {
            return;
        }
        entries.add(entry);
        PipelineStatus before = status;
        status = StatusReducer.reduce(entry.event() == null ? "default" : entry.event().tenant(), datasetId, entries);
        draw(before, entry);
    }

    /** This dataset's entry for an event, or null when the event is another dataset's. */
    private StatusEntry event(TopicTail.Event e) {
        TailorEvent event = Json.read(e.value(), EventTypes.typeOf(e.topic()));
        boolean ours;
        if (event instanceof TrainingProgress p) {
            ours = p.datasetId() != null ? datasetId.equals(p.datasetId())
                    : !otherJobs.contains(p.jobId()) && (jobId() == null || jobId().equals(p.jobId()));
        } else if (event instanceof TrainingRequested r && !datasetId.equals(r.datasetId())) {
            otherJobs.add(r.jobId());
            ours = false;
        } else if (event instanceof ModelDeployment d) {
            ours = d.modelId().equals(modelId());
        } else {
            ours = datasetId.equals(datasetIdOf(event));
        }
        return ours ? StatusEntry.of(event) : null;
    }

    /** A dead letter that names this dataset, its job or its model, or null. */
    private StatusEntry deadLetter(TopicTail.Event e) {
        boolean ours = e.value() != null && (e.value().contains(datasetId)
                || (jobId() != null && e.value().contains(jobId())) || (modelId() != null && e.value().contains(modelId())));
        if (!ours) {
            return null;
        }
        String reason = e.deadLetterReason() == null ? "no reason recorded" : e.deadLetterReason();
        return StatusEntry.deadLetter(e.topic(), null, reason, Instant.now());
    }

    private void draw(PipelineStatus before, StatusEntry entry) {
        if (entry.deadLetter()) {
            failure = "a record for this dataset went to " + entry.topic() + ": " + entry.error();
            return;
        }
        if (became(before, "ingested", PipelineStatus.DONE)) {
            PipelineStatus.Stage st = status.stage("ingested");
            finish(ProgressBar.count(((Number) st.details.get("records")).longValue()) + " records ("
                    + st.details.get("format") + ") stored under " + st.outputs.get("raw"));
            next("cleaning", "cleaning, deduplicating, splitting");
        }
        if (became(before, "cleaned", PipelineStatus.DONE)) {
            Map<String, Object> d = status.stage("cleaned").details;
            finish("train " + d.get("train") + " · validation " + d.get("validation") + " · test " + d.get("test")
                    + " examples (version " + d.get("version") + ")");
            next("training", "waiting for the training job to start");
        }
        if (entry.event() instanceof TrainingProgress && !done("trained")) {
            training(status.stage("training"));
        }
        if (became(before, "trained", PipelineStatus.DONE)) {
            Map<String, Object> d = status.stage("trained").details;
            finish("model " + d.get("modelId") + loss(" · train loss %.3f", d.get("trainLoss"))
                    + loss(" · validation loss %.3f", d.get("validationLoss")));
            next("eval", "base vs tuned on the held-out test split");
        }
        if (became(before, "evaluated", PipelineStatus.DONE) && entry.event() instanceof ModelEvaluated ev) {
            evaluation = ev;
            double change = ev.baseLoss() == 0 ? 0 : 100.0 * (ev.tunedLoss() - ev.baseLoss()) / ev.baseLoss();
            String verdict = ev.promoted() ? term.green(ev.verdict()) : term.red(ev.verdict());
            finish(String.format(Locale.ROOT, "test loss base %.3f → tuned %.3f (%+.1f%%) · %s",
                    ev.baseLoss(), ev.tunedLoss(), change, verdict));
            term.line(" ".repeat(13) + ev.reason());
            term.line(" ".repeat(13) + "report: " + (ev.reportUrl() != null ? ev.reportUrl() : ev.report()));
        }
        if (entry.event() instanceof ModelDeployment d && d.active()) {
            deployment = d;
        }
    }

    private void training(PipelineStatus.Stage st) {
        Map<String, Object> d = st.details;
        String message = d.get("message") == null ? "" : ": " + d.get("message");
        if (PipelineStatus.FAILED.equals(st.state) || PipelineStatus.CANCELLED.equals(st.state)) {
            failure = "training job " + d.get("jobId") + " " + st.state.toLowerCase(Locale.ROOT) + message;
            return;
        }
        int step = ((Number) d.getOrDefault("step", 0)).intValue();
        int total = ((Number) d.getOrDefault("totalSteps", 0)).intValue();
        if (total == 0 || step == 0) {
            liveDetail = st.state.toLowerCase(Locale.ROOT) + message;
        } else {
            Object tps = d.get("tokensPerSecond");
            Object eta = d.get("etaSeconds");
            liveDetail = ProgressBar.bar(step, total, 20) + " step " + step + "/" + total
                    + loss(" · loss %.3f", d.get("loss"))
                    + (tps == null ? "" : " · " + ProgressBar.count(Math.round(((Number) tps).doubleValue())) + " tok/s")
                    + " · ETA " + ProgressBar.seconds(eta == null ? null : ((Number) eta).doubleValue());
        }
        tick();
    }

    private boolean became(PipelineStatus before, String name, String state) {
        return state.equals(status.stage(name).state) && !state.equals(before.stage(name).state);
    }

    private boolean done(String name) {
        return PipelineStatus.DONE.equals(status.stage(name).state);
    }

    private String jobId() {
        Object id = status.stage("training").details.get("jobId");
        return id == null ? null : id.toString();
    }

    private String modelId() {
        Object id = status.stage("trained").details.get("modelId");
        return id == null ? null : id.toString();
    }

    private static String datasetIdOf(TailorEvent event) {
        if (event instanceof DatasetIngested i) {
            return i.datasetId();
        } else if (event instanceof DatasetCleaned c) {
            return c.datasetId();
        } else if (event instanceof TrainingRequested r) {
            return r.datasetId();
        } else if (event instanceof ModelTrained t) {
            return t.datasetId();
        } else if (event instanceof ModelEvaluated v) {
            return v.datasetId();
        }
        return null;
    }

    private static String loss(String format, Object value) {
        return value == null ? "" : String.format(Locale.ROOT, format, ((Number) value).doubleValue());
    }

    private void finish(String detail) {
        term.line(label(stage) + term.green("✓ ") + detail + "  " + ProgressBar.elapsed(stageStart));
    }

    private void next(String nextStage, String detail) {
        stage = nextStage;
        stageStart = System.nanoTime();
        liveDetail = detail;
        tick();
    }

    static String label(String stage) {
        return String.format(Locale.ROOT, "  %-10s ", stage);
    }
}
