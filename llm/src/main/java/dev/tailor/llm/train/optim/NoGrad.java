package dev.tailor.llm.train.optim;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's grad mode off on the current thread and restores it on close. Grad mode is per thread in
 * libtorch and DJL turns it off only on the thread that started the engine, so in-place updates of parameters
 * that require gradients (optimizer step, zeroing, restoring weights) and no-grad evaluation use this on
 * whatever thread they run.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Grad mode off on this thread until {@link #close()}. */
    public static NoGrad enter() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return new NoGrad(previous);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
