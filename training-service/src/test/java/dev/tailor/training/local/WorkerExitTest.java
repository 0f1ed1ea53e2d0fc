package dev.tailor.training.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.training.domain.JobState;
import dev.tailor.training.worker.WorkerReport;
import org.junit.jupiter.api.Test;

/** Which worker endings are retried: the local counterpart of the kubernetes pod failure policy. */
class WorkerExitTest {

    private static WorkerReport end(WorkerReport.State state, String message) {
        return new WorkerReport(state.name(), 0, 0, 0, null, null, null, null, null, message);
    }

    @Test
    void aSignalOrACrashIsRetriedAReportedFailureIsNot() {
        WorkerExit killed = WorkerExit.of(137, null, "");
        assertEquals(JobState.FAILED, killed.state());
        assertTrue(killed.retryable());
        assertEquals("worker killed by SIGKILL (exit 137): killed, or out of memory", killed.reason());
        assertTrue(WorkerExit.of(134, null, "").reason().contains("SIGABRT"));
        assertTrue(WorkerExit.of(2, null, "Error: Could not find main class").retryable());

        WorkerExit reported = WorkerExit.of(1, end(WorkerReport.State.FAILED, "loss diverged (NaN) at step 3"), "");
        assertFalse(reported.retryable());
        assertEquals("loss diverged (NaN) at step 3", reported.reason());
        WorkerExit exit1 = WorkerExit.of(1, null, "java.lang.IllegalArgumentException: bad params");
        assertFalse(exit1.retryable());
        assertTrue(exit1.reason().endsWith("bad params"), exit1.reason());
    }

    @Test
    void successAndCancellationAreNotFailures() {
        assertEquals(JobState.SUCCEEDED, WorkerExit.of(0, end(WorkerReport.State.SUCCEEDED, null), "").state());
        assertEquals(JobState.CANCELLED, WorkerExit.of(3, end(WorkerReport.State.CANCELLED, null), "").state());
        assertEquals(JobState.CANCELLED, WorkerExit.of(3, null, "").state());
        WorkerExit noResult = WorkerExit.of(0, null, "");
        assertEquals(JobState.FAILED, noResult.state(), "exit 0 without a result is no success");
        assertTrue(noResult.retryable());
    }
}
