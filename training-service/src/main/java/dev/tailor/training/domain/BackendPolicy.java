package dev.tailor.training.domain;

import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the backend of a job: the one the job asks for ({@code compute.backend}), else the platform's setting, else
 * automatically from the preflight estimate: a job that fits a local worker and finishes there within
 * {@link Limits#localMaxSeconds()} runs locally; otherwise on one GPU (kubernetes) when it fits one, otherwise on the
 * fewest GPUs of a kubeflow job it fits. A job that fits nowhere is refused with the numbers.
 *
 * @param limits what this platform offers
 */
public record BackendPolicy(Limits limits) {

    /**
     * @param defaultBackend    the platform's choice for jobs that ask for none; null = automatic
     * @param localMemoryBytes  largest local worker
     * @param localMaxSeconds   longest estimated CPU run that stays local when a GPU backend exists
     * @param gpuMemoryBytes    memory of one GPU
     * @param gpusPerNode       GPUs of one node
     * @param maxNodes          nodes one kubeflow job may use
     */
    public record Limits(BackendKind defaultBackend, boolean kubernetes, boolean kubeflow, long localMemoryBytes,
                         double localMaxSeconds, long gpuMemoryBytes, int gpusPerNode, int maxNodes) {
        public Limits {
            if (localMemoryBytes <= 0 || gpuMemoryBytes <= 0 || gpusPerNode < 1 || maxNodes < 1) {
                throw new IllegalArgumentException("backend limits must be positive");
            }
        }
    }

    public BackendPolicy {
        java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * @param cpu        the preflight estimate (CPU figures)
     * @param tokens     mean tokens per example
     * @throws JobRejected UNPROCESSABLE when the asked backend is not offered or the job fits nowhere
     */
    public Placement place(ModelConfig shape, TrainingParams params, Preflight cpu, double tokens) {
        TrainingParams.Compute c = params.compute();
        String asked = !c.backend().equals("auto") ? c.backend()
                : limits.defaultBackend() != null ? limits.defaultBackend().id() : "auto";
        return switch (asked) {
            case "local" -> local(shape, params, cpu, tokens, "asked for");
            case "kubernetes" -> kubernetes(shape, params, cpu, tokens, "asked for");
            case "kubeflow" -> kubeflow(shape, params, cpu, tokens, "asked for");
            default -> automatic(shape, params, cpu, tokens);
        };
    }

    private Placement automatic(ModelConfig shape, TrainingParams params, Preflight cpu, double tokens) {
        TrainingParams.Compute c = params.compute();
        MemoryEstimate onCpu = MemoryModel.estimate(shape, params, cpu.trainableParameters(), tokens, "fp32", 0);
        boolean cpuOk = !c.device().startsWith("cuda") && !c.precision().startsWith("bf16")
                && onCpu.hostBytes() <= limits.localMemoryBytes();
        boolean gpuBackends = limits.kubernetes() || limits.kubeflow();
        if (cpuOk && c.worldSize() == 1 && (!gpuBackends || cpu.estimatedSeconds() <= limits.localMaxSeconds())) {
            return new Placement(BackendKind.LOCAL, "cpu", "fp32", 1, 1, onCpu, String.format(
                    "automatic: fits a local worker (%s) and takes about %.0f s there", onCpu.describe(),
                    cpu.estimatedSeconds()));
        }
        List<String> tried = new ArrayList<>();
        if (c.worldSize() == 1 && limits.kubernetes()) {
            MemoryEstimate one = gpu(shape, params, cpu, tokens, 1);
            if (one.deviceBytes() <= limits.gpuMemoryBytes()) {
                return new Placement(BackendKind.KUBERNETES, "cuda:0", one.precision(), 1, 1, one,
                        "automatic: fits one GPU (" + one.describe() + ")");
            }
            tried.add("one GPU: " + one.describe());
        }
        if (limits.kubeflow()) {
            for (int nodes = 1; nodes <= limits.maxNodes(); nodes++) {
                for (int perNode = 1; perNode <= limits.gpusPerNode(); perNode++) {
                    if (nodes * perNode < c.worldSize() || (nodes > 1 && perNode < limits.gpusPerNode())) {
                        continue;
                    }
                    MemoryEstimate m = gpu(shape, params, cpu, tokens, nodes * perNode);
                    if (m.deviceBytes() <= limits.gpuMemoryBytes()) {
                        return new Placement(BackendKind.KUBEFLOW, "cuda:0", m.precision(), nodes, perNode, m,
                                "automatic: needs " + nodes * perNode + " GPU(s) (" + m.describe() + ")");
                    }
                }
            }
            tried.add(limits.maxNodes() * limits.gpusPerNode() + " GPUs: "
                    + gpu(shape, params, cpu, tokens, limits.maxNodes() * limits.gpusPerNode()).describe());
        }
        if (cpuOk && c.worldSize() == 1) {
            return new Placement(BackendKind.LOCAL, "cpu", "fp32", 1, 1, onCpu, String.format(
                    "automatic: no GPU backend fits, a local worker does (%s, about %.0f s)", onCpu.describe(),
                    cpu.estimatedSeconds()));
        }
        tried.add("a local worker: " + onCpu.describe());
        throw tooLarge("the job fits none of the backends offered: " + String.join("; ", tried) + " (a GPU has "
                + (limits.gpuMemoryBytes() >> 20) + " MiB, a local worker " + (limits.localMemoryBytes() >> 20)
                + " MiB)");
    }

    private Placement local(ModelConfig shape, TrainingParams params, Preflight cpu, double tokens, String why) {
        TrainingParams.Compute c = params.compute();
        if (c.device().startsWith("cuda") || c.precision().startsWith("bf16")) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "No GPU on local workers", "local workers"
                    + " compute on the CPU in fp32; ask for backend kubernetes or kubeflow to train on a GPU, or"
                    + " device cpu", "params.compute.device");
        }
        MemoryEstimate m = MemoryModel.estimate(shape, params, cpu.trainableParameters(), tokens, "fp32", 0);
        if (m.hostBytes() > limits.localMemoryBytes()) {
            throw tooLarge("the job needs about " + (m.hostBytes() >> 20) + " MiB but local workers may use "
                    + (limits.localMemoryBytes() >> 20) + " MiB (tailor.training.max-job-memory-mib); lower"
                    + " batchSize or maxSeqLength, use method=lora, or a GPU backend");
        }
        return new Placement(BackendKind.LOCAL, "cpu", "fp32", 1, 1, m, why + ": " + m.describe());
    }

    private Placement kubernetes(ModelConfig shape, TrainingParams params, Preflight cpu, double tokens,
                                 String why) {
        offered(limits.kubernetes(), BackendKind.KUBERNETES);
        MemoryEstimate m = gpu(shape, params, cpu, tokens, 1);
        if (m.deviceBytes() > limits.gpuMemoryBytes()) {
            throw tooLarge("the job needs about " + (m.deviceBytes() >> 20) + " MiB on its GPU but a GPU has "
                    + (limits.gpuMemoryBytes() >> 20) + " MiB (tailor.training.gpu-memory-mib); use backend kubeflow"
                    + " to spread it over GPUs, precision bf16, method=lora, or a smaller batchSize");
        }
        return new Placement(BackendKind.KUBERNETES, "cuda:0", m.precision(), 1, 1, m, why + ": " + m.describe());
    }

    private Placement kubeflow(ModelConfig shape, TrainingParams params, Preflight cpu, double tokens, String why) {
        offered(limits.kubeflow(), BackendKind.KUBEFLOW);
        TrainingParams.Compute c = params.compute();
        if (c.processesPerNode() > limits.gpusPerNode() || c.nodes() > limits.maxNodes()) {
            throw tooLarge("compute asks for " + c.nodes() + " node(s) x " + c.processesPerNode() + " GPU(s); this"
                    + " platform offers up to " + limits.maxNodes() + " x " + limits.gpusPerNode());
        }
        MemoryEstimate m = gpu(shape, params, cpu, tokens, c.worldSize());
        if (m.deviceBytes() > limits.gpuMemoryBytes()) {
            throw tooLarge("the job needs about " + (m.deviceBytes() >> 20) + " MiB per GPU on " + c.worldSize()
                    + " GPU(s) but a GPU has " + (limits.gpuMemoryBytes() >> 20) + " MiB; ask for more nodes or"
                    + " processesPerNode, or a smaller batchSize");
        }
        return new Placement(BackendKind.KUBEFLOW, "cuda:0", m.precision(), c.nodes(), c.processesPerNode(), m,
                why + ": " + m.describe());
    }

    private static MemoryEstimate gpu(ModelConfig shape, TrainingParams params, Preflight cpu, double tokens,
                                      int gpus) {
        String precision = params.compute().precision().equals("auto") ? "bf16-mixed" : params.compute().precision();
        return MemoryModel.estimate(shape, params, cpu.trainableParameters(), tokens, precision, gpus);
    }

    private static void offered(boolean enabled, BackendKind kind) {
        if (!enabled) {
            throw new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Backend not offered", "backend " + kind.id()
                    + " is not enabled on this platform (tailor.training." + kind.id() + ".enabled); use auto or"
                    + " local", "params.compute.backend");
        }
    }

    private static JobRejected tooLarge(String detail) {
        return new JobRejected(JobRejected.Reason.UNPROCESSABLE, "Job too large", detail, "params.data.batchSize");
    }
}
