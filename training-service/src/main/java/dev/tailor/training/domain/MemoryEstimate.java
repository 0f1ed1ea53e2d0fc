package dev.tailor.training.domain;

/**
 * Memory a job needs, per place: host memory of the worker process, and memory of each accelerator it uses (0 on a
 * CPU). Checked against the limits of the backend before the job starts.
 *
 * @param device      where the model computes: {@code cpu} or {@code cuda}
 * @param precision   fp32, bf16-mixed or bf16
 * @param hostBytes   worker process memory (RSS): JVM and native libraries, plus the whole model on a CPU
 * @param deviceBytes per GPU: weights, trained parameters' gradients, masters and AdamW moments, activations, CUDA
 *                    context; 0 on a CPU
 * @param gpus        GPUs the job uses (weights are sharded across them when more than one)
 */
public record MemoryEstimate(String device, String precision, long hostBytes, long deviceBytes, int gpus) {

    public MemoryEstimate {
        if (!device.equals("cpu") && !device.equals("cuda")) {
            throw new IllegalArgumentException("device must be cpu or cuda, got " + device);
        }
        if (hostBytes <= 0 || deviceBytes < 0 || gpus < 0 || (device.equals("cuda") != gpus > 0)) {
            throw new IllegalArgumentException("inconsistent memory estimate " + hostBytes + "/" + deviceBytes
                    + " bytes on " + gpus + " GPU(s) of " + device);
        }
    }

    public boolean onGpu() {
        return gpus > 0;
    }

    /** e.g. {@code 2,310 MiB per GPU (bf16-mixed) + 1,024 MiB host}. */
    public String describe() {
        return onGpu() ? String.format("%,d MiB per GPU on %d GPU(s), %s, + %,d MiB host", deviceBytes >> 20, gpus,
                precision, hostBytes >> 20) : String.format("%,d MiB host (CPU, %s)", hostBytes >> 20, precision);
    }
}
