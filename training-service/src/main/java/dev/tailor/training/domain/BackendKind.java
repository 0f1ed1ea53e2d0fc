package dev.tailor.training.domain;

import java.util.Locale;

/** Where a job's worker runs; every backend keeps the same job API, events and states. */
public enum BackendKind {
    /** A worker process next to the service (child JVM), in a queue fair between tenants. */
    LOCAL,
    /** One batch/v1 Job per training job, on a GPU node, admitted by Kueue. */
    KUBERNETES,
    /** A Kubeflow Trainer TrainJob running an existing distributed trainer (axolotl) across GPUs and nodes. */
    KUBEFLOW;

    /** The name in requests and settings: {@code local}, {@code kubernetes}, {@code kubeflow}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackendKind of(String id) {
        for (BackendKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("backend must be local, kubernetes or kubeflow, got '" + id + "'");
    }
}
