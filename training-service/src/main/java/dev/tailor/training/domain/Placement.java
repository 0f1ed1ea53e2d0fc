package dev.tailor.training.domain;

import java.util.Objects;

/**
 * Where a planned job runs and on what: the backend, the device and precision its worker computes with, the GPUs per
 * node and nodes it asks for, and the memory estimate the choice was checked against. Recorded with the job, so a
 * resumed or re-adopted job keeps it.
 *
 * @param device    {@code cpu} or {@code cuda:0} (a worker sees the GPUs it was given, numbered from 0)
 * @param reason    why this backend (the policy's words, shown in the job)
 */
public record Placement(BackendKind backend, String device, String precision, int nodes, int processesPerNode,
                        MemoryEstimate memory, String reason) {

    public Placement {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(memory, "memory");
        if (nodes < 1 || processesPerNode < 1) {
            throw new IllegalArgumentException("nodes and processesPerNode must be >= 1");
        }
        if (backend != BackendKind.KUBEFLOW && nodes * processesPerNode != 1) {
            throw new IllegalArgumentException(backend.id() + " jobs run one process on one device");
        }
        if (!device.equals("cpu") && !device.matches("cuda:[0-9]{1,2}")) {
            throw new IllegalArgumentException("device must be cpu or cuda:N, got " + device);
        }
    }

    /** GPUs across all nodes (0 on a CPU). */
    public int gpus() {
        return device.equals("cpu") ? 0 : nodes * processesPerNode;
    }
}
