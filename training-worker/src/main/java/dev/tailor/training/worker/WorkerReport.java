package dev.tailor.training.worker;

/**
 * One line of the worker → controller protocol on the worker's stdout: {@link #PREFIX} followed by this record as
 * JSON. Every optimizer step gives a RUNNING line; the last line is SUCCEEDED, FAILED or CANCELLED ({@link State}).
 *
 * @param loss on the final SUCCEEDED line: the final train loss
 */
public record WorkerReport(String state, int step, int totalSteps, int epoch, Double loss, Double validationLoss,
                           Double learningRate, Double tokensPerSecond, Double etaSeconds, String message) {

    /** Marks protocol lines; anything else on stdout is log output. */
    public static final String PREFIX = "TAILOR-PROGRESS ";

    /** The states a worker reports (the controller's job states of the same names). */
    public enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    public WorkerReport {
        State.valueOf(state); // rejects unknown states
        loss = finiteOrNull(loss);
        validationLoss = finiteOrNull(validationLoss);
        learningRate = finiteOrNull(learningRate);
        tokensPerSecond = finiteOrNull(tokensPerSecond);
        etaSeconds = finiteOrNull(etaSeconds);
    }

    public State workerState() {
        return State.valueOf(state);
    }

    private static Double finiteOrNull(Double v) {
        return v == null || !Double.isFinite(v) || v < 0 ? null : v;
    }
}
