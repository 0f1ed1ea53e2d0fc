package dev.tailor.eval.domain.request;


/**
 * One evaluation to run: a tuned model against a baseline on a test set.
 *
 * @param evaluationId   the evaluation's id
 * @param trigger        {@code training} or {@code api}
 * @param tuned          the model under test
 * @param baseline       what it is compared with (its base model, or another model on the same base)
 * @param testSetKey     object key of the examples (a test split or an uploaded eval set)
 * @param lineage        where the tuned model and the test set came from
 * @param options        what to measure and the gate
 * @param sweep          the sweep the tuned model is a candidate of, or null
 * @param cleaningReport object key of the cleaning report of the test split's version (leakage), or null
 * @param tenant         the tenant the evaluation acts in (the event's or the caller's): every object it reads and
 *                       writes lies under this tenant's prefix
 * @param principal      who it is done for (the caller, or whoever caused the training), or null
 */
public record EvalJob(String evaluationId, String trigger, ModelSide tuned, ModelSide baseline, String testSetKey,
                      Lineage lineage, EvalOptions options, SweepCandidate sweep, String cleaningReport,
                      String tenant, String principal) {
    public EvalJob {
        dev.tailor.common.values.Checks.tenant(tenant);
        dev.tailor.common.values.Checks.optionalPrincipal(principal);
        if (evaluationId == null || trigger == null || tuned == null || baseline == null || testSetKey == null
                || lineage == null || options == null) {
            throw new IllegalArgumentException("an evaluation needs its id, trigger, both models, the test set, "
                    + "lineage and settings");
        }
        if (tuned.equals(baseline)) {
            throw new IllegalArgumentException("a model cannot be compared with itself (" + tuned.id() + ")");
        }
    }
}
