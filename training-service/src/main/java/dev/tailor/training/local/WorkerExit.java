package dev.tailor.training.local;

import dev.tailor.training.domain.JobState;
import dev.tailor.training.worker.WorkerReport;

/**
 * How a local worker's run ended, from its exit code and its last report, and whether another attempt may help. The
 * same split as the kubernetes backend's pod failure policy ({@code JobManifests}): a failure the worker reports
 * itself (exit 1: bad parameters, bad data, a diverging loss) fails the job at once; a worker that went without
 * saying why (killed by a signal, the out-of-memory killer's SIGKILL, a crashed JVM) is retried from the last
 * checkpoint in S3, as a failed pod counts against {@code backoffLimit}.
 *
 * @param state     SUCCEEDED, CANCELLED or FAILED
 * @param retryable a FAILED run another attempt may get past
 * @param reason    why it failed (null otherwise)
 */
public record WorkerExit(JobState state, boolean retryable, String reason) {
    /** Exit code of a worker that reported its own failure (TrainingWorker.EXIT_FAILED). */
    static final int EXIT_FAILED = 1;
    /** Exit code of a cancelled worker (TrainingWorker.EXIT_CANCELLED). */
    static final int EXIT_CANCELLED = 3;

    public WorkerExit {
        if (state == null || !state.terminal()) {
            throw new IllegalArgumentException("a worker exit is SUCCEEDED, CANCELLED or FAILED, not " + state);
        }
        if (retryable && state != JobState.FAILED) {
            throw new IllegalArgumentException("only a failure is retried");
        }
    }

    /**
     * @param exit    the worker's exit code
     * @param last    its last report that was not a step (SUCCEEDED, FAILED, CANCELLED), or null
     * @param logTail the last lines of its log, for a failure without a report
     */
    public static WorkerExit of(int exit, WorkerReport last, String logTail) {
        WorkerReport.State reported = last == null ? null : last.workerState();
        if (reported == WorkerReport.State.CANCELLED || exit == EXIT_CANCELLED && reported == null) {
            return new WorkerExit(JobState.CANCELLED, false, null);
        }
        if (exit == 0 && reported == WorkerReport.State.SUCCEEDED) {
            return new WorkerExit(JobState.SUCCEEDED, false, null);
        }
        if (reported == WorkerReport.State.FAILED && last.message() != null) {
            return new WorkerExit(JobState.FAILED, false, last.message());
        }
        if (exit == EXIT_FAILED) {
            return new WorkerExit(JobState.FAILED, false, "worker failed (exit 1)" + tail(logTail));
        }
        if (exit > 128) {
            int signal = exit - 128;
            return new WorkerExit(JobState.FAILED, true, "worker killed by " + signalName(signal) + " (exit " + exit
                    + ")" + (signal == 9 ? ": killed, or out of memory" : ""));
        }
        return new WorkerExit(JobState.FAILED, true, "worker exited with code " + exit + " without a result"
                + tail(logTail));
    }

    private static String tail(String logTail) {
        return logTail == null || logTail.isBlank() ? "" : ": " + logTail.strip();
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "SIGKILL";
            case 15 -> "SIGTERM";
            case 6 -> "SIGABRT";
            case 11 -> "SIGSEGV";
            case 2 -> "SIGINT";
            case 1 -> "SIGHUP";
            default -> "signal " + signal;
        };
    }
}
