package dev.tailor.llm.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Collection;

/** Global L2 norm of all gradients, and the factor that clips it to a maximum. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** sqrt(sum over all gradients of sum(g^2)), summed in float32 whatever the gradients' type; one host sync. */
    public static double globalNorm(Collection<NDArray> grads) {
        NDArray total = null;
        for (NDArray g : grads) {
            NDArray g32 = g.getDataType() == DataType.FLOAT32 ? g : g.toType(DataType.FLOAT32, false);
            NDArray s = g32.square().sum();
            total = total == null ? s : total.add(s);
        }
        return total == null ? 0.0 : Math.sqrt(total.getFloat());
    }

    /** Multiplier for the gradients: 1 when within {@code maxNorm} (or clipping is off). */
    public static double scale(double norm, double maxNorm) {
        return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1.0;
    }
}
