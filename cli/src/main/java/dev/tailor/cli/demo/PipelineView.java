package dev.tailor.cli.demo;

import dev.tailor.testkit.TopicTail;
import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.Terminal;
import dev.tailor.common.Topics;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.ModelEvaluated;
import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.events.TrainingRequested;
import dev.tailor.common.json.Json;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Follows one dataset through the pipeline from its events and draws a line per stage: a live line
 * while the stage runs (training: step, loss, tokens/s, ETA), a finished line with its figures.
 */
final class PipelineView {

    private final Terminal term;
    private final String datasetId;
    private final Set<String> otherJobs = new HashSet<>();
    private String stage = "ingest";
    private long stageStart = System.nanoTime();
    private String jobId;
    private String modelId;
    private String failure;
    private ModelEvaluated evaluation;
    private ModelDeployment deployment;
    private String liveDetail = "waiting for the ingest service";

    PipelineView(Terminal term, String datasetId) {
        this.term = term;
        this.datasetId = datasetId;
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
        try {
            if (e.topic().endsWith(".dlq")) {
                deadLetter(e);
                return;
            }
            switch (e.topic()) {
                case Topics.DATASET_INGESTED -> ingested(Json.read(e.value(), DatasetIngested.class));
                case Topics.DATASET_CLEANED -> cleaned(Json.read(e.value(), DatasetCleaned.class));
                case Topics.TRAINING_REQUESTED -> requested(Json.read(e.value(), TrainingRequested.class));
                case Topics.TRAINING_PROGRESS -> progress(Json.read(e.value(), TrainingProgress.class));
                case Topics.MODEL_TRAINED -> trained(Json.read(e.value(), ModelTrained.class));
                case Topics.MODEL_EVALUATED -> evaluated(Json.read(e.value(), ModelEvaluated.class));
                case Topics.MODEL_DEPLOYMENTS -> deployed(Json.read(e.value(), ModelDeployment.class));
                default -> { }
            }
        } catch (RuntimeException unreadable) {
            // an event of another schema version or producer: not ours to judge here
        }
    }

    private void ingested(DatasetIngested ev) {
        if (!datasetId.equals(ev.datasetId())) {
            return;
        }
        finish(ProgressBar.count(ev.records()) + " records (" + ev.format() + ") stored under " + ev.rawPrefix());
        next("cleaning", "cleaning, deduplicating, splitting");
    }

    private void cleaned(DatasetCleaned ev) {
        if (!datasetId.equals(ev.datasetId())) {
            return;
        }
        finish("train " + ev.trainCount() + " · validation " + ev.validationCount() + " · test " + ev.testCount()
                + " examples (version " + ev.version() + ")");
        next("training", "waiting for the training job to start");
    }

    private void requested(TrainingRequested ev) {
        if (datasetId.equals(ev.datasetId())) {
            jobId = ev.jobId();
        } else {
            otherJobs.add(ev.jobId());
        }
    }

    private void progress(TrainingProgress p) {
        if (otherJobs.contains(p.jobId()) || (jobId != null && !jobId.equals(p.jobId())) || modelId != null) {
            return;
        }
        jobId = p.jobId();
        if (TrainingProgress.FAILED.equals(p.state()) || TrainingProgress.CANCELLED.equals(p.state())) {
            failure = "training job " + p.jobId() + " " + p.state().toLowerCase(Locale.ROOT)
                    + (p.message() == null ? "" : ": " + p.message());
            return;
        }
        if (p.totalSteps() == 0 || p.step() == 0) {
            liveDetail = p.state().toLowerCase(Locale.ROOT) + (p.message() == null ? "" : ": " + p.message());
        } else {
            liveDetail = ProgressBar.bar(p.step(), p.totalSteps(), 20) + " step " + p.step() + "/" + p.totalSteps()
                    + (p.loss() == null ? "" : String.format(Locale.ROOT, " · loss %.3f", p.loss()))
                    + (p.tokensPerSecond() == null ? "" : " · " + ProgressBar.count(Math.round(p.tokensPerSecond()))
                    + " tok/s")
                    + " · ETA " + ProgressBar.seconds(p.etaSeconds());
        }
        tick();
    }

    private void trained(ModelTrained ev) {
        if (!datasetId.equals(ev.datasetId())) {
            return;
        }
        modelId = ev.modelId();
        finish("model " + ev.modelId()
                + (ev.trainLoss() == null ? "" : String.format(Locale.ROOT, " · train loss %.3f", ev.trainLoss()))
                + (ev.validationLoss() == null ? ""
                        : String.format(Locale.ROOT, " · validation loss %.3f", ev.validationLoss())));
        next("eval", "base vs tuned on the held-out test split");
    }

    private void evaluated(ModelEvaluated ev) {
        if (!datasetId.equals(ev.datasetId()) && !ev.modelId().equals(modelId)) {
            return;
        }
        evaluation = ev;
        double change = ev.baseLoss() == 0 ? 0 : 100.0 * (ev.tunedLoss() - ev.baseLoss()) / ev.baseLoss();
        String verdict = ev.promoted() ? term.green(ev.verdict()) : term.red(ev.verdict());
        finish(String.format(Locale.ROOT, "test loss base %.3f → tuned %.3f (%+.1f%%) · %s",
                ev.baseLoss(), ev.tunedLoss(), change, verdict));
        term.line(" ".repeat(13) + ev.reason());
        term.line(" ".repeat(13) + "report: " + ev.report());
    }

    private void deployed(ModelDeployment ev) {
        if (modelId != null && modelId.equals(ev.modelId()) && ev.active()) {
            deployment = ev;
        }
    }

    private void deadLetter(TopicTail.Event e) {
        boolean ours = e.value() != null && (e.value().contains(datasetId)
                || (jobId != null && e.value().contains(jobId)) || (modelId != null && e.value().contains(modelId)));
        if (ours) {
            String reason = e.deadLetterReason() == null ? "no reason recorded" : e.deadLetterReason();
            failure = "a record for this dataset went to " + e.topic() + ": " + reason;
        }
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
