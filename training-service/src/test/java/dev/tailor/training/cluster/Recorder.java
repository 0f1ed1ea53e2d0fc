package dev.tailor.training.cluster;


import dev.tailor.training.domain.JobState;
import dev.tailor.training.service.JobEvents;
import dev.tailor.training.worker.WorkerReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** What a backend reported, in order, for the tests to wait for. */
final class Recorder implements JobEvents {
    /** One report: its state, message, and whether model.trained was announced by the worker. */
    record Report(String jobId, JobState state, String message, boolean announced) {
    }

    final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public void queued(String jobId, String message) {
        reports.add(new Report(jobId, JobState.QUEUED, message, false));
    }

    @Override
    public void running(String jobId, String message) {
        reports.add(new Report(jobId, JobState.RUNNING, message, false));
    }

    @Override
    public void retrying(String jobId, int retry, int maxRetries, String reason) {
        reports.add(new Report(jobId, JobState.RUNNING, "retry " + retry + " of " + maxRetries + ": " + reason, false));
    }

    @Override
    public void progress(String jobId, WorkerReport report) {
        reports.add(new Report(jobId, JobState.RUNNING, "step " + report.step() + "/" + report.totalSteps(), false));
    }

    @Override
    public void finished(String jobId, JobState state, String message, boolean trainedAnnounced) {
        reports.add(new Report(jobId, state, message, trainedAnnounced));
    }

    /** Waits for a report of {@code jobId} in {@code state} whose message matches. */
    Report await(String jobId, JobState state, Predicate<String> message) {
        Predicate<Report> p = r -> r.jobId().equals(jobId) && r.state() == state
                && message.test(r.message() == null ? "" : r.message());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> reports.stream().anyMatch(p));
        return reports.stream().filter(p).findFirst().orElseThrow();
    }
}
