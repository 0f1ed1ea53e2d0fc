package dev.tailor.llm.device;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tailor.common.events.TrainingParams;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a model's tensors live and in which types it computes: every array of a model, its adapters, its optimizer and
 * its per-step scratch is created on {@link #device()} (through {@link #newManager()} and sub-managers of it).
 *
 * <ul>
 *   <li>{@code fp32}: everything float32 (the only choice on a CPU: DJL 0.36's PyTorch 2.7.1 CPU build aborts the JVM
 *       on any bfloat16 tensor).</li>
 *   <li>{@code bf16-mixed}: activations and frozen weights in bfloat16, the trained parameters kept as float32 master
 *       weights (cast to bfloat16 in each forward pass, so their gradients and AdamW's update stay float32); logits
 *       and the loss in float32. What mixed-precision training means in PyTorch AMP and Hugging Face's Trainer.</li>
 *   <li>{@code bf16}: trained parameters in bfloat16 too (AdamW's moments stay float32): half the memory of the
 *       masters, for full fine-tuning of models whose float32 masters do not fit; less exact updates.</li>
 * </ul>
 *
 * <p>{@code computeType} FLOAT16 with float32 masters is allowed as well: it runs the mixed-precision code path on a
 * CPU (PyTorch's CPU kernels have half precision), which is how the tests exercise it where no GPU exists.
 *
 * @param device      CPU or a GPU
 * @param computeType type of activations and of frozen weights: FLOAT32, BFLOAT16 (GPU only) or FLOAT16
 * @param masterType  type of the trained parameters: FLOAT32, or BFLOAT16 with bf16 compute
 */
public record Compute(Device device, DataType computeType, DataType masterType) {

    public Compute {
        Objects.requireNonNull(device, "device");
        if (computeType != DataType.FLOAT32 && computeType != DataType.BFLOAT16 && computeType != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute type must be float32, bfloat16 or float16, got " + computeType);
        }
        if (masterType != DataType.FLOAT32 && !(masterType == DataType.BFLOAT16 && computeType == DataType.BFLOAT16)) {
            throw new IllegalArgumentException("master weights must be float32 (or bfloat16 with bfloat16 compute),"
                    + " got " + masterType + " with " + computeType);
        }
        if (computeType == DataType.BFLOAT16 && !device.isGpu()) {
            throw new IllegalArgumentException("bfloat16 needs a GPU: DJL's PyTorch CPU build cannot run bfloat16"
                    + " tensors; use fp32 on " + device);
        }
    }

    /** float32 on the CPU. */
    public static Compute cpu() {
        return new Compute(Device.cpu(), DataType.FLOAT32, DataType.FLOAT32);
    }

    /** The job's compute group resolved against the GPUs DJL reports here. */
    public static Compute of(TrainingParams.Compute compute) {
        return resolve(compute.device(), compute.precision(), Devices.gpuCount());
    }

    /**
     * @param device    auto, cpu, cuda or cuda:N
     * @param precision auto, fp32, bf16-mixed or bf16
     * @param gpus      GPUs present (as DJL reports them)
     * @throws IllegalArgumentException for a GPU that is not there, or bf16 on a CPU, with what to change
     */
    public static Compute resolve(String device, String precision, int gpus) {
        Device d = device(device, gpus);
        String p = precision.toLowerCase(Locale.ROOT);
        if (p.equals("auto")) {
            p = d.isGpu() ? "bf16-mixed" : "fp32";
        }
        return switch (p) {
            case "fp32" -> new Compute(d, DataType.FLOAT32, DataType.FLOAT32);
            case "bf16-mixed" -> new Compute(d, DataType.BFLOAT16, DataType.FLOAT32);
            case "bf16" -> new Compute(d, DataType.BFLOAT16, DataType.BFLOAT16);
            default -> throw new IllegalArgumentException("precision must be auto, fp32, bf16-mixed or bf16, got '"
                    + precision + "'");
        };
    }

    private static Device device(String name, int gpus) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("cuda") || n.matches("cuda:[0-9]{1,2}")) {
            int index = n.equals("cuda") ? 0 : Integer.parseInt(n.substring(5));
            if (index >= gpus) {
                throw new IllegalArgumentException("device " + name + " asked for, but DJL reports " + gpus
                        + " CUDA device(s) here" + (gpus == 0 ? " (no CUDA build of libtorch loaded, or no GPU: see"
                        + " README, \"Train on a GPU cluster\")" : "") + "; use cpu, auto or cuda:0.." + (gpus - 1));
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("device must be auto, cpu, cuda or cuda:N, got '" + name + "'");
    }

    /** Whether the trained parameters are kept in another type than the compute type (mixed precision). */
    public boolean mixed() {
        return masterType != computeType;
    }

    /** A new root manager on this device (close it). */
    public NDManager newManager() {
        return NDManager.newBaseManager(device);
    }

    /** Bytes of one element of the compute type. */
    public int computeBytes() {
        return computeType.getNumOfBytes();
    }

    /** e.g. {@code gpu(0) bf16-mixed}. */
    public String describe() {
        String p = computeType == DataType.FLOAT32 ? "fp32"
                : (mixed() ? name(computeType) + "-mixed" : name(computeType));
        return device + " " + p;
    }

    private static String name(DataType t) {
        return t == DataType.BFLOAT16 ? "bf16" : t == DataType.FLOAT16 ? "fp16" : "fp32";
    }
}
