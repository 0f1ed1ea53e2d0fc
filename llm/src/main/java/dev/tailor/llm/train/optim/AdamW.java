package dev.tailor.llm.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam moments with bias correction and weight decay decoupled
 * from the gradient, applied in place outside autograd. Scalars are 0-d arrays (see
 * ENVIRONMENT.md: float-scalar ops can read freed memory). Weight decay skips 1-d parameters
 * (norm weights, biases), as Hugging Face's Trainer does.
 */
public final class AdamW implements AutoCloseable {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private final double weightDecay;
    private int t;

    /**
     * Zero moments for every parameter, allocated once in a manager of their own on the parameters' device; float32
     * whatever the parameters' type (bfloat16 parameters are updated from float32 moments).
     */
    public AdamW(Map<String, NDArray> params, double weightDecay) {
        this.manager = params.isEmpty() ? NDManager.newBaseManager()
                : NDManager.newBaseManager(params.values().iterator().next().getDevice());
        this.weightDecay = weightDecay;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            first.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
            second.put(e.getKey(), manager.zeros(e.getValue().getShape(), DataType.FLOAT32));
        }
    }

    /** Optimizer steps taken. */
    public int steps() {
        return t;
    }

    /**
     * One update. {@code grads} are the raw accumulated gradients, multiplied by {@code gradScale}
     * (clipping) before use. Temporaries go to {@code scratch}. Runs with grad mode off on the calling thread
     * (restored after), whichever thread that is.
     */
    public void step(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, double gradScale,
                     NDManager scratch) {
        try (NoGrad off = NoGrad.enter()) {
            update(params, grads, lr, gradScale, scratch);
        }
    }

    private void update(Map<String, NDArray> params, Map<String, NDArray> grads, double lr, double gradScale,
                        NDManager scratch) {
        t++;
        double bc1 = 1 - Math.pow(BETA1, t);
        double bc2 = 1 - Math.pow(BETA2, t);
        NDArray scale = scalar(scratch, gradScale);
        NDArray b1 = scalar(scratch, BETA1);
        NDArray oneMinusB1 = scalar(scratch, 1 - BETA1);
        NDArray b2 = scalar(scratch, BETA2);
        NDArray oneMinusB2 = scalar(scratch, 1 - BETA2);
        NDArray invSqrtBc2 = scalar(scratch, 1 / Math.sqrt(bc2));
        NDArray eps = scalar(scratch, EPS);
        NDArray stepSize = scalar(scratch, lr / bc1);
        NDArray decay = scalar(scratch, 1 - lr * weightDecay);
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray g = grads.get(e.getKey());
            if (g == null) {
                continue;
            }
            NDArray p = e.getValue();
            NDArray m = first.get(e.getKey());
            NDArray v = second.get(e.getKey());
            NDArray gs = gradScale == 1.0 ? g : g.mul(scale);
            m.muli(b1).addi(gs.mul(oneMinusB1));
            v.muli(b2).addi(gs.square().muli(oneMinusB2));
            NDArray denom = v.sqrt().muli(invSqrtBc2).addi(eps);
            if (weightDecay > 0 && p.getShape().dimension() > 1) {
                p.muli(decay);
            }
            p.subi(m.div(denom).muli(stepSize));
        }
    }

    /** Moments by checkpoint name ("m.NAME", "v.NAME"); live arrays, do not close. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        first.forEach((k, a) -> out.put("m." + k, a));
        second.forEach((k, a) -> out.put("v." + k, a));
        return out;
    }

    /** Restores moments and the step count from a checkpoint. */
    public void restore(Map<String, NDArray> named, int steps) {
        try (NoGrad off = NoGrad.enter()) {
            restoreMoments(named);
        }
        this.t = steps;
    }

    private void restoreMoments(Map<String, NDArray> named) {
        for (Map.Entry<String, NDArray> e : first.entrySet()) {
            copy(named, "m." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, NDArray> e : second.entrySet()) {
            copy(named, "v." + e.getKey(), e.getValue());
        }
    }

    private static void copy(Map<String, NDArray> named, String key, NDArray into) {
        NDArray src = named.get(key);
        if (src == null) {
            throw new IllegalStateException("checkpoint lacks optimizer state \"" + key + "\"");
        }
        dev.tailor.llm.device.Devices.assign(into, src);
    }

    /** {@code v} as a 0-d float32 array: scalar ops under autograd are unsafe in DJL, array-array ops are not. */
    public static NDArray scalar(NDManager m, double v) {
        return m.full(new Shape(), (float) v, DataType.FLOAT32);
    }

    @Override
    public void close() {
        manager.close();
    }
}
