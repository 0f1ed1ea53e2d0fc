package dev.tailor.training.cluster;

import dev.tailor.training.domain.JobState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A batch/v1 Job and its pods as a job state: suspended (waiting for Kueue, or preempted by it) and admitted-but-not-
 * started are QUEUED; a running pod is RUNNING; the Job's Complete and Failed conditions are SUCCEEDED and FAILED, a
 * failure with the worker's termination message. Pure: the controller reads the objects, this decides.
 */
public final class JobStatusMapping {

    /** A state and what to tell the user about it. */
    public record Observed(JobState state, String message) {
    }

    private JobStatusMapping() {
    }

    public static Observed of(Job job, List<Pod> pods) {
        List<JobCondition> conditions = job.getStatus() == null || job.getStatus().getConditions() == null
                ? List.of() : job.getStatus().getConditions();
        if (condition(conditions, "Complete")) {
            return new Observed(JobState.SUCCEEDED, null);
        }
        if (condition(conditions, "Failed")) {
            JobCondition failed = conditions.stream().filter(c -> "Failed".equals(c.getType())).findFirst()
                    .orElseThrow();
            String why = failed.getReason() + (failed.getMessage() == null ? "" : ": " + failed.getMessage());
            return new Observed(JobState.FAILED, terminationMessage(pods)
                    .map(m -> "worker failed: " + m + " (" + why + ")").orElse("Job failed (" + why + ")"));
        }
        long preempted = pods.stream().filter(JobStatusMapping::disrupted).count();
        String queue = job.getMetadata().getLabels() == null ? null
                : job.getMetadata().getLabels().get(Labels.KUEUE_QUEUE);
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            boolean ranBefore = preempted > 0 || (job.getStatus() != null && job.getStatus().getStartTime() != null);
            return new Observed(JobState.QUEUED, ranBefore
                    ? "preempted; waiting for Kueue to admit it again (it resumes from its last checkpoint)"
                    : "waiting for Kueue to admit it" + (queue == null ? "" : " to queue " + queue));
        }
        Optional<Pod> running = pods.stream().filter(p -> "Running".equals(phase(p))).findFirst();
        if (running.isPresent()) {
            String node = running.get().getSpec() == null ? null : running.get().getSpec().getNodeName();
            return new Observed(JobState.RUNNING, "worker running" + (node == null ? "" : " on " + node)
                    + (preempted > 0 ? " (attempt " + (preempted + 1) + ", resumed from its last checkpoint after "
                    + preempted + " preemption(s))" : ""));
        }
        if (preempted > 0) {
            Pod last = pods.stream().filter(JobStatusMapping::disrupted).max(Comparator.comparing(p ->
                    p.getMetadata().getCreationTimestamp() == null ? "" : p.getMetadata().getCreationTimestamp()))
                    .orElseThrow();
            return new Observed(JobState.QUEUED, "worker preempted (" + disruption(last) + "); a new one starts"
                    + " and resumes from the last checkpoint in S3");
        }
        return new Observed(JobState.QUEUED, "admitted" + (queue == null ? "" : " by Kueue (" + queue + ")")
                + "; starting a worker");
    }

    private static boolean condition(List<JobCondition> conditions, String type) {
        return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    static boolean disrupted(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> Labels.DISRUPTION_TARGET.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String disruption(Pod p) {
        PodCondition c = p.getStatus().getConditions().stream()
                .filter(x -> Labels.DISRUPTION_TARGET.equals(x.getType())).findFirst().orElseThrow();
        return c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    /** The termination message of the worker container of the newest failed pod. */
    static Optional<String> terminationMessage(List<Pod> pods) {
        return pods.stream().filter(p -> "Failed".equals(phase(p)) && !disrupted(p))
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null ? ""
                        : p.getMetadata().getCreationTimestamp()).reversed())
                .flatMap(p -> p.getStatus().getContainerStatuses() == null ? java.util.stream.Stream.empty()
                        : p.getStatus().getContainerStatuses().stream())
                .filter(s -> JobManifests.CONTAINER.equals(s.getName()))
                .map(JobStatusMapping::terminated).flatMap(Optional::stream)
                .map(t -> t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage().strip()
                        : "exit code " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")"))
                .findFirst();
    }

    private static Optional<ContainerStateTerminated> terminated(ContainerStatus s) {
        if (s.getState() != null && s.getState().getTerminated() != null) {
            return Optional.of(s.getState().getTerminated());
        }
        return s.getLastState() == null ? Optional.empty() : Optional.ofNullable(s.getLastState().getTerminated());
    }
}
