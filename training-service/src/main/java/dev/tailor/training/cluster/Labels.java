package dev.tailor.training.cluster;

import dev.tailor.training.worker.WorkerSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and names of the objects Tailor creates in a cluster; the controller finds its jobs by them. */
public final class Labels {
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "tailor-training-service";
    public static final String MODEL_ID = "tailor.dev/model-id";
    public static final String TENANT = "tailor.dev/tenant";
    /** Kueue's label naming the LocalQueue a workload is submitted to (kueue pkg/controller/constants QueueLabel). */
    public static final String KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
    /** Annotation with the job id (caller-chosen ids may not be valid label values). */
    public static final String JOB_ID = "tailor.dev/job-id";
    /** The Kueue/Kubernetes condition a pod gets when it is disrupted or preempted. */
    public static final String DISRUPTION_TARGET = "DisruptionTarget";

    private Labels() {
    }

    /** {@code tailor-<modelId>}: model ids are {@code ft-} and 16 hex digits, a valid DNS label. */
    public static String name(WorkerSpec spec) {
        return "tailor-" + spec.modelId().toLowerCase(java.util.Locale.ROOT);
    }

    /** Labels of the Job (or TrainJob) and of its pods. */
    public static Map<String, String> of(WorkerSpec spec) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MANAGED_BY, MANAGER);
        m.put("app.kubernetes.io/part-of", "tailor");
        m.put("app.kubernetes.io/component", "training-worker");
        m.put(MODEL_ID, spec.modelId());
        m.put(TENANT, spec.tenant());
        return m;
    }
}
