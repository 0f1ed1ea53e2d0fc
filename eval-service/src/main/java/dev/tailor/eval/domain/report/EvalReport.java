package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.request.Lineage;
import dev.tailor.eval.domain.request.ModelSide;
import dev.tailor.eval.domain.request.SweepCandidate;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tailor.eval.domain.advice.Leakage;
import dev.tailor.eval.domain.advice.LossPoint;
import dev.tailor.eval.domain.advice.Recommendation;
import dev.tailor.eval.domain.format.FormatSummary;
import dev.tailor.eval.domain.gate.BaseTuned;
import dev.tailor.eval.domain.request.EvalOptions;
import java.time.Instant;
import java.util.List;

/**
 * {@code evals/{evaluationId}/report.json}: a tuned model ("tuned") against a baseline (its base model, or another
 * model), example by example, with paired statistics, the gate's verdict, slices, recommendations and lineage.
 *
 * @param evaluationId        the evaluation's id (a model's evaluation after training has the model's id)
 * @param trigger             {@code training} (after a training job) or {@code api} (POST /v1/evaluations)
 * @param tuned               the model under test
 * @param baseline            what it is compared with
 * @param lineage             dataset version, job, parameters and base model behind the tuned model
 * @param examples            test examples scored for loss
 * @param generated           of those, examples with an answer generated and scored
 * @param testLoss            mean answer-token loss over all answer tokens (nats), baseline and tuned
 * @param generalPerplexity   perplexity on general text (the forgetting check), null when not measured
 * @param generalTextSources  where the general text came from
 * @param metrics             per-metric paired comparisons (positive gain = tuned better)
 * @param judge               the LLM judge's comparison, null when no judge ran
 * @param baseFormat          format checks of the baseline's answers
 * @param tunedFormat         format checks of the tuned model's answers
 * @param gate                the gate's policy and verdict
 * @param slices              every metric per slice
 * @param weakSlices          the slices where the tuned model falls short on the gate's metric
 * @param recommendations     what to do next, each with its evidence
 * @param leakage             test examples near-duplicating training examples (cleaning report), or null
 * @param lossCurve           the tuned model's training and validation loss per step
 * @param results             every example: both answers and their metric values
 * @param largestGains        ids of the examples the tuned model improved most on (gate's metric)
 * @param worstRegressions    ids of the examples it got worst on
 * @param settings            the settings used (judge key removed)
 * @param sweep               the sweep this model is a candidate of, or null
 * @param verdict             PROMOTE or REJECT
 * @param reason              the gate's sentence, with its numbers
 * @param seconds             wall time of the evaluation
 * @param examplesPerSecond   generation throughput: answers generated (both models) per second of generation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalReport(String evaluationId, String trigger, ModelSide tuned, ModelSide baseline, Lineage lineage,
                         int examples, int generated, BaseTuned testLoss, BaseTuned generalPerplexity,
                         List<String> generalTextSources, List<MetricRow> metrics, JudgeSummary judge,
                         FormatSummary baseFormat, FormatSummary tunedFormat, GateReport gate,
                         List<SliceRow> slices, List<WeakSliceRow> weakSlices,
                         List<Recommendation> recommendations, Leakage leakage, List<LossPoint> lossCurve,
                         List<ExampleRow> results, List<String> largestGains, List<String> worstRegressions,
                         EvalOptions settings, SweepCandidate sweep, String verdict, String reason,
                         Instant evaluatedAt, double seconds, double examplesPerSecond) {
    public static final String TRAINING = "training";
    public static final String API = "api";
    public static final String PROMOTE = "PROMOTE";
    public static final String REJECT = "REJECT";

    public EvalReport {
        if (evaluationId == null || tuned == null || baseline == null || gate == null || verdict == null
                || reason == null) {
            throw new IllegalArgumentException("a report needs its id, both models, the gate and the verdict");
        }
        generalTextSources = copy(generalTextSources);
        metrics = copy(metrics);
        slices = copy(slices);
        weakSlices = copy(weakSlices);
        recommendations = copy(recommendations);
        lossCurve = copy(lossCurve);
        results = copy(results);
        largestGains = copy(largestGains);
        worstRegressions = copy(worstRegressions);
    }

    private static <T> List<T> copy(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    public boolean promoted() {
        return PROMOTE.equals(verdict);
    }

    /** The row of {@code metricKey}, or null. */
    public MetricRow metric(String metricKey) {
        return metrics.stream().filter(m -> m.metric().equals(metricKey)).findFirst().orElse(null);
    }

    /** This report with another verdict (a sweep candidate that passed the gate but was not the best). */
    public EvalReport withVerdict(String newVerdict, String newReason, SweepCandidate newSweep) {
        return new EvalReport(evaluationId, trigger, tuned, baseline, lineage, examples, generated, testLoss,
                generalPerplexity, generalTextSources, metrics, judge, baseFormat, tunedFormat, gate, slices,
                weakSlices, recommendations, leakage, lossCurve, results, largestGains, worstRegressions, settings,
                newSweep, newVerdict, newReason, evaluatedAt, seconds, examplesPerSecond);
    }
}
