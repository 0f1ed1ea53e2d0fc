package dev.tailor.llm.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;

/** The devices DJL's engine reports in this process, and the few tensor moves every model class needs. */
public final class Devices {
    private Devices() {
    }

    /**
     * PyTorch's intra-op threads for the calling thread and for threads that start computing after this call (a
     * serving setting: batch-1 decode of a small model runs on few cores). No-op on another engine.
     */
    public static void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    /** CUDA devices the loaded PyTorch build sees (0 with the CPU build, or without a GPU). */
    public static int gpuCount() {
        return Engine.getInstance().getGpuCount();
    }

    /** The CPU, then every GPU: what tensor tests run over. */
    public static List<Device> available() {
        Device[] gpus = gpuCount() > 0 ? Engine.getInstance().getDevices() : new Device[0];
        Device[] all = new Device[gpus.length + 1];
        all[0] = Device.cpu();
        System.arraycopy(gpus, 0, all, 1, gpus.length);
        return Arrays.asList(all);
    }

    /**
     * {@code a} in {@code type}: {@code a} itself when it already is, else a copy owned by {@code owner}, the caller's
     * per-step or per-request manager. Not recorded by autograd (DJL casts under no-grad): for constants and frozen
     * weights only; {@link #toFloat32} is the differentiable upcast.
     */
    public static NDArray as(NDArray a, DataType type, NDManager owner) {
        if (a.getDataType() == type) {
            return a;
        }
        NDArray cast = a.toType(type, false);
        cast.attach(owner);
        return cast;
    }

    /**
     * {@code a} as float32, differentiably: a lower-precision array plus a float32 zero of shape (1), which PyTorch's
     * type promotion makes float32 and autograd differentiates back to {@code a}'s type.
     */
    public static NDArray toFloat32(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a;
        }
        NDArray zero = a.getManager().zeros(new ai.djl.ndarray.types.Shape(1), DataType.FLOAT32);
        return a.add(zero);
    }

    /**
     * Copies {@code source} into {@code target} on the device (type converted), in place and outside autograd: master
     * weights into the model's lower-precision copy after each update.
     */
    public static void copyInto(NDArray target, NDArray source) {
        try (NDArray converted = source.toType(target.getDataType(), true)) {
            target.set(new ai.djl.ndarray.index.NDIndex().addAllDim(), converted);
        }
    }

    /**
     * Copies the values of {@code source} into {@code target} in place (outside autograd), converting type and device:
     * checkpoints are float32 whatever the parameters' type.
     */
    public static void assign(NDArray target, NDArray source) {
        if (source.getDataType() == target.getDataType()) {
            target.set(source.toByteBuffer());
            return;
        }
        try (NDArray converted = source.toType(target.getDataType(), true)) {
            target.set(converted.toByteBuffer());
        }
    }
}
