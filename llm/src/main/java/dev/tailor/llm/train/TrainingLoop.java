package dev.tailor.llm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.llm.device.Devices;
import dev.tailor.llm.train.batch.BatchPlan;
import dev.tailor.llm.train.batch.MicroBatch;
import dev.tailor.llm.train.batch.TokenizedExample;
import dev.tailor.llm.train.optim.AdamW;
import dev.tailor.llm.train.optim.GradientClipping;
import dev.tailor.llm.train.optim.LrSchedule;
import dev.tailor.llm.train.optim.NoGrad;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The optimizer loop: micro-batches with gradient accumulation, AdamW, clipping, schedule,
 * validation, early stopping, checkpoints and resume. Every step runs inside its own
 * {@link NDScope} and manager so native memory stays flat. One run per JVM at a time (DJL allows
 * one gradient collector per process). Every array is created on the model's device ({@link TrainingModel#device()}).
 * Class length: the loop and its bookkeeping belong together.
 */
public final class TrainingLoop {
    private final TrainingModel model;
    private final TrainingParams params;
    private final RunOptions run;
    private final Path outputDir;
    private final ProgressListener listener;
    private final CancellationToken cancel;
    private Double initialValidationLoss;
    private int truncatedExamples;
    private int skippedExamples;
    private String skipReason;

    public TrainingLoop(TrainingModel model, TrainingParams params, RunOptions run) {
        this.model = model;
        this.params = params;
        this.run = run;
        this.outputDir = run.outputDir();
        this.listener = run.listener();
        this.cancel = run.cancel();
    }

    /** How many training examples were cut to fit maxSeqLength, for training.json. */
    /** Examples the chat template refused, reported in training.json with the first reason. */
    public TrainingLoop skippedExamples(int count, String firstReason) {
        this.skippedExamples = count;
        this.skipReason = firstReason;
        return this;
    }

    public TrainingLoop truncatedExamples(int count) {
        this.truncatedExamples = count;
        return this;
    }

    public TrainResult run(List<TokenizedExample> train, List<TokenizedExample> validation) {
        BatchPlan plan = new BatchPlan(train, params, model.padId());
        List<MicroBatch> valBatches = validationBatches(validation);
        int total = plan.totalSteps();
        LrSchedule schedule = LrSchedule.of(params, total);
        Map<String, NDArray> trained = model.trainableParameters();
        trained.values().forEach(p -> p.setRequiresGradient(true));
        Instant started = Instant.now();
        try (NDManager keep = NDManager.newBaseManager(model.device())) {
            // what the optimizer updates: float32 master copies under mixed precision, the parameters themselves else
            Map<String, NDArray> weights = masters(trained, keep);
            this.params32 = weights;
            this.trained = trained;
            return run(plan, valBatches, total, schedule, weights, keep, train.size(), validation.size(), started);
        }
    }

    /** The trained parameters, and their master copies (the same map without mixed precision). */
    private Map<String, NDArray> trained;
    private Map<String, NDArray> params32;

    private Map<String, NDArray> masters(Map<String, NDArray> trained, NDManager keep) {
        if (trained.isEmpty() || model.masterType() == trained.values().iterator().next().getDataType()) {
            return trained;
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (NoGrad off = NoGrad.enter()) {
            trained.forEach((k, p) -> {
                NDArray m = p.toType(model.masterType(), true);
                m.attach(keep);
                out.put(k, m);
            });
        }
        return out;
    }

    /** Master weights into the model's lower-precision parameters, after an update or a restore. */
    private void syncTrained() {
        if (params32 == trained) {
            return;
        }
        try (NoGrad off = NoGrad.enter()) {
            trained.forEach((k, p) -> Devices.copyInto(p, params32.get(k)));
        }
    }

    private TrainResult run(BatchPlan plan, List<MicroBatch> valBatches, int total, LrSchedule schedule,
                            Map<String, NDArray> weights, NDManager keep, int trainCount, int valCount,
                            Instant started) {
        try (AdamW adam = new AdamW(weights, params.optimizer().weightDecay())) {
            Map<String, NDArray> best = new LinkedHashMap<>();
            int start = 0;
            Double bestVal = null;
            Double lastVal = null;
            int bad = 0;
            List<Double> recent = new ArrayList<>();
            Double initialVal = null;
            Optional<Checkpoints.Loaded> resumed = Checkpoints.latest(outputDir, keep);
            if (resumed.isPresent()) {
                Checkpoints.State s = resumed.get().state();
                if (s.totalSteps() != total || s.seed() != params.seed()) {
                    throw new IllegalStateException("checkpoint " + resumed.get().dir() + " was made for totalSteps="
                            + s.totalSteps() + ", seed=" + s.seed() + " but this run has totalSteps=" + total
                            + ", seed=" + params.seed() + "; use the same data and parameters, or a new output folder");
                }
                Map<String, NDArray> arrays = resumed.get().arrays();
                try (NoGrad off = NoGrad.enter()) {
                    weights.forEach((k, p) -> Devices.assign(p, require(arrays, "param." + k)));
                }
                syncTrained();
                adam.restore(arrays, s.optimizerSteps());
                arrays.forEach((k, a) -> {
                    if (k.startsWith("best.")) {
                        best.put(k.substring(5), a);
                    }
                });
                start = s.step();
                bestVal = s.bestValidationLoss();
                lastVal = s.lastValidationLoss();
                bad = s.badEvaluations();
                recent.addAll(s.recentLosses());
                initialVal = s.initialValidationLoss();
            } else if (!valBatches.isEmpty()) {
                initialVal = validationLoss(valBatches); // the base model's, for comparison
            }
            this.initialValidationLoss = initialVal;
            int evalEvery = params.evaluation().evalEvery();
            int patience = params.evaluation().earlyStoppingPatience();
            boolean stoppedEarly = false;
            int step = start;
            long runTokens = 0;
            long t0 = System.nanoTime();
            try (MetricsLog metrics = new MetricsLog(outputDir.resolve("metrics.jsonl"), start)) {
                while (step < total) {
                    if (cancel.isCancelled()) {
                        saveCheckpoint(plan, step, total, adam, weights, best, schedule, bestVal, bad, lastVal, recent);
                        throw new TrainingCancelledException(step);
                    }
                    double lr = schedule.at(step);
                    long stepStart = System.nanoTime();
                    StepOutcome o = step(plan.step(step), step, weights, adam, lr);
                    if (!Double.isFinite(o.loss)) {
                        throw new IllegalStateException("loss became " + o.loss + " at step " + (step + 1)
                                + "; lower learningRate (now " + params.optimizer().learningRate()
                                + ") or set maxGradNorm");
                    }
                    step++;
                    runTokens += o.tokens;
                    recent.add(o.loss);
                    if (recent.size() > 10) {
                        recent.remove(0);
                    }
                    Double val = null;
                    boolean evalNow = !valBatches.isEmpty()
                            && ((evalEvery > 0 && step % evalEvery == 0) || step == total);
                    if (evalNow) {
                        val = validationLoss(valBatches);
                        lastVal = val;
                        if (bestVal == null || val < bestVal) {
                            bestVal = val;
                            bad = 0;
                            if (patience > 0) {
                                snapshot(weights, best, keep);
                            }
                        } else {
                            bad++;
                        }
                    }
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    double tps = runTokens / Math.max(elapsed, 1e-9);
                    double perStep = elapsed / (step - start);
                    TrainProgress p = new TrainProgress(step, total, plan.epochOf(step - 1) + 1, o.loss, lr, tps,
                            perStep * (total - step), val);
                    metrics.write(p, o.gradNorm, o.tokens, (System.nanoTime() - stepStart) / 1e9);
                    listener.onProgress(p);
                    if (patience > 0 && bad >= patience) {
                        stoppedEarly = true;
                        break;
                    }
                    if (run.checkpointEvery() > 0 && step % run.checkpointEvery() == 0 && step < total) {
                        saveCheckpoint(plan, step, total, adam, weights, best, schedule, bestVal, bad, lastVal, recent);
                    }
                }
            }
            Double reported = lastVal;
            if (stoppedEarly && !best.isEmpty()) {
                try (NoGrad off = NoGrad.enter()) {
                    weights.forEach((k, p) -> Devices.assign(p, best.get(k)));
                }
                syncTrained();
                reported = bestVal;
            }
            model.saveOutput(outputDir, weights);
            double trainLoss = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            TrainResult result = new TrainResult(step, trainLoss, reported, outputDir, stoppedEarly);
            writeSummary(plan, trainCount, valCount, result, started, runTokens, t0);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write training output to " + outputDir + ": " + e.getMessage(), e);
        }
    }

    private record StepOutcome(double loss, double gradNorm, int tokens) {
    }

    /** Forward + backward over the step's micro-batches, then one AdamW update. */
    private StepOutcome step(List<MicroBatch> batches, int step, Map<String, NDArray> weights, AdamW adam, double lr) {
        int answer = batches.stream().mapToInt(MicroBatch::answerTokens).sum();
        int tokens = batches.stream().mapToInt(MicroBatch::tokens).sum();
        double lossSum = 0;
        try (NDScope scope = new NDScope(); NDManager sm = NDManager.newBaseManager(model.device())) {
            NDArray denominator = AdamW.scalar(sm, answer);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                for (int i = 0; i < batches.size(); i++) {
                    MicroBatch mb = batches.get(i);
                    Engine.getInstance().setRandomSeed(rngSeed(step, i));
                    NDArray logits = model.logits(mb.inputIds(sm), true); // (B, T, V)
                    NDArray sum = AnswerLoss.sum(logits, mb.targetIds(sm), mb.lossMask(sm)); // ()
                    gc.backward(sum.div(denominator));
                    lossSum += sum.getFloat();
                }
            }
            // clipping, update and zeroing are in place and outside autograd: grad mode off on this thread
            // (it is per thread; DJL turns it off only where the engine started)
            try (NoGrad off = NoGrad.enter()) {
                Map<String, NDArray> grads = new LinkedHashMap<>();
                trained.forEach((k, p) -> grads.put(k, p.getGradient()));
                // master weights take their gradients in their own type
                Map<String, NDArray> masterGrads = new LinkedHashMap<>();
                grads.forEach((k, g) -> masterGrads.put(k, Devices.as(g, weights.get(k).getDataType(), sm)));
                double norm = GradientClipping.globalNorm(masterGrads.values());
                adam.step(weights, masterGrads, lr, GradientClipping.scale(norm, params.optimizer().maxGradNorm()), sm);
                syncTrained();
                grads.values().forEach(g -> g.subi(g));
                return new StepOutcome(lossSum / answer, norm, tokens);
            }
        }
    }

    /** Mean answer-token loss over the validation set, without gradients or dropout. */
    private double validationLoss(List<MicroBatch> batches) {
        double sum = 0;
        long count = 0;
        for (MicroBatch mb : batches) {
            try (NoGrad off = NoGrad.enter(); NDScope scope = new NDScope();
                 NDManager sm = NDManager.newBaseManager(model.device())) {
                NDArray logits = model.logits(mb.inputIds(sm), false);
                sum += AnswerLoss.sum(logits, mb.targetIds(sm), mb.lossMask(sm)).getFloat();
                count += mb.answerTokens();
            }
        }
        return sum / count;
    }

    private List<MicroBatch> validationBatches(List<TokenizedExample> validation) {
        int maxSeqLength = params.data().maxSeqLength();
        int batchSize = params.data().batchSize();
        List<TokenizedExample> kept = validation.stream().map(e -> e.truncate(maxSeqLength))
                .filter(e -> e.answerTokens() > 0).toList();
        List<MicroBatch> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i += batchSize) {
            out.add(MicroBatch.of(kept.subList(i, Math.min(kept.size(), i + batchSize)), model.padId()));
        }
        return out;
    }

    private int rngSeed(int step, int micro) {
        return (int) (params.seed() * 1_000_003L + step * 1009L + micro);
    }

    private static void snapshot(Map<String, NDArray> weights, Map<String, NDArray> best, NDManager keep) {
        best.values().forEach(NDArray::close);
        best.clear();
        try (NoGrad off = NoGrad.enter()) { // a plain copy, no autograd history
            weights.forEach((k, p) -> {
                NDArray c = p.duplicate();
                c.attach(keep);
                best.put(k, c);
            });
        }
    }

    private void saveCheckpoint(BatchPlan plan, int step, int total, AdamW adam, Map<String, NDArray> weights,
                                Map<String, NDArray> best, LrSchedule schedule, Double bestVal, int bad,
                                Double lastVal, List<Double> recent) {
        Checkpoints.State s = new Checkpoints.State(step, plan.epochOf(Math.min(step, total - 1)),
                plan.offsetOf(Math.min(step, total - 1)), total, params.seed(), adam.steps(),
                schedule.at(Math.min(step, total - 1)), bestVal, bad, lastVal, List.copyOf(recent),
                initialValidationLoss);
        Checkpoints.save(outputDir, s, weights, adam, best);
    }

    private static NDArray require(Map<String, NDArray> arrays, String key) {
        NDArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalStateException("checkpoint lacks \"" + key + "\"; was it made for another model or method?");
        }
        return a;
    }

    private void writeSummary(BatchPlan plan, int trainCount, int valCount, TrainResult result, Instant started,
                              long tokens, long t0) throws IOException {
        Map<String, Object> summary = new LinkedHashMap<>();
        ObjectNode config = Json.mapper().valueToTree(params);
        config.put("checkpointEvery", run.checkpointEvery());
        summary.put("config", config);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("steps", result.steps());
        r.put("totalSteps", plan.totalSteps());
        r.put("stepsPerEpoch", plan.stepsPerEpoch());
        r.put("trainLoss", result.trainLoss());
        r.put("initialValidationLoss", initialValidationLoss);
        r.put("validationLoss", result.validationLoss());
        r.put("stoppedEarly", result.stoppedEarly());
        r.put("trainExamples", trainCount);
        r.put("validationExamples", valCount);
        r.put("truncatedExamples", truncatedExamples);
        r.put("skippedExamples", skippedExamples);
        if (skipReason != null) {
            r.put("skipReason", skipReason);
        }
        r.put("droppedExamples", plan.dropped());
        r.put("trainRows", plan.rows());
        r.put("tokensThisRun", tokens);
        r.put("secondsThisRun", (System.nanoTime() - t0) / 1e9);
        r.put("startedAt", started.toString());
        r.put("finishedAt", Instant.now().toString());
        summary.put("result", r);
        Files.createDirectories(outputDir);
        Checkpoints.JSON.writeValue(outputDir.resolve("training.json").toFile(), summary);
    }
}
