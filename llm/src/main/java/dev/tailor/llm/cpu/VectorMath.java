package dev.tailor.llm.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of CPU decoding on the JDK's Vector API (the widest vectors the CPU has: 16 floats with AVX-512, 8
 * with AVX2): blocks of a packed matrix times activations, in float32 and in int8 (one byte a weight, widened to
 * float in registers), and the dot products and axpy of attention and norms. Only loaded when the
 * {@code jdk.incubator.vector} module is present ({@link CpuDecode#supported()}).
 */
final class VectorMath {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats in one vector, and rows in one block of a packed matrix. */
    static final int L = F.length();
    /** Bytes widened to one float vector: L lanes of 8 bits. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    private VectorMath() {
    }

    /** a[ao, ao+n) · b[bo, bo+n). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            acc0 = FloatVector.fromArray(F, a, ao + j).fma(FloatVector.fromArray(F, b, bo + j), acc0);
            acc1 = FloatVector.fromArray(F, a, ao + j + L).fma(FloatVector.fromArray(F, b, bo + j + L), acc1);
        }
        for (; j + L <= n; j += L) {
            acc0 = FloatVector.fromArray(F, a, ao + j).fma(FloatVector.fromArray(F, b, bo + j), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s += a[ao + j] * b[bo + j];
        }
        return s;
    }

    /**
     * One block of {@link #L} rows of a matrix packed column by column ({@code w[wo + j·L + lane]} is row
     * {@code lane}'s weight of column j): {@code y[yo + lane] = Σ_j w[wo + j·L + lane] · x[xo + j]} for the first
     * {@code valid} lanes. Lanes are rows, so no horizontal sum is needed: one load, one broadcast and one fused
     * multiply-add per column and L rows.
     */
    static void block(float[] w, int wo, float[] x, int xo, int cols, float[] y, int yo, int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            int at = wo + j * L;
            a0 = FloatVector.fromArray(F, w, at).fma(FloatVector.broadcast(F, x[xo + j]), a0);
            a1 = FloatVector.fromArray(F, w, at + L).fma(FloatVector.broadcast(F, x[xo + j + 1]), a1);
            a2 = FloatVector.fromArray(F, w, at + 2 * L).fma(FloatVector.broadcast(F, x[xo + j + 2]), a2);
            a3 = FloatVector.fromArray(F, w, at + 3 * L).fma(FloatVector.broadcast(F, x[xo + j + 3]), a3);
        }
        for (; j < cols; j++) {
            a0 = FloatVector.fromArray(F, w, wo + j * L).fma(FloatVector.broadcast(F, x[xo + j]), a0);
        }
        store(a0.add(a1).add(a2.add(a3)), y, yo, valid);
    }

    /**
     * {@link #block} on four consecutive blocks (block k at {@code wo + k·cols·L}, its output at {@code yo + k·L}, all
     * lanes valid): four streams of weights in flight and one broadcast of x per column for all four.
     */
    static void blockQuad(float[] w, int wo, float[] x, int xo, int cols, float[] y, int yo) {
        int stride = cols * L;
        int w1 = wo + stride;
        int w2 = w1 + stride;
        int w3 = w2 + stride;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        for (int j = 0; j < cols; j++) {
            FloatVector xj = FloatVector.broadcast(F, x[xo + j]);
            int at = j * L;
            a0 = FloatVector.fromArray(F, w, wo + at).fma(xj, a0);
            a1 = FloatVector.fromArray(F, w, w1 + at).fma(xj, a1);
            a2 = FloatVector.fromArray(F, w, w2 + at).fma(xj, a2);
            a3 = FloatVector.fromArray(F, w, w3 + at).fma(xj, a3);
        }
        a0.intoArray(y, yo);
        a1.intoArray(y, yo + L);
        a2.intoArray(y, yo + 2 * L);
        a3.intoArray(y, yo + 3 * L);
    }

    /** {@link #block} for two activation rows at once (the weights read once for both). */
    static void block2(float[] w, int wo, float[] x, int xo0, int xo1, int cols, float[] y, int yo0, int yo1,
                       int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= cols; j += 2) {
            int at = wo + j * L;
            FloatVector w0 = FloatVector.fromArray(F, w, at);
            FloatVector w1 = FloatVector.fromArray(F, w, at + L);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
            a1 = w1.fma(FloatVector.broadcast(F, x[xo0 + j + 1]), a1);
            b1 = w1.fma(FloatVector.broadcast(F, x[xo1 + j + 1]), b1);
        }
        for (; j < cols; j++) {
            FloatVector w0 = FloatVector.fromArray(F, w, wo + j * L);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
        }
        store(a0.add(a1), y, yo0, valid);
        store(b0.add(b1), y, yo1, valid);
    }

    /** {@link #block} on int8 weights, times the rows' scales {@code scale[so + lane]}. */
    static void blockInt8(byte[] q, int qo, float[] scale, int so, float[] x, int xo, int cols, float[] y, int yo,
                          int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            int at = qo + j * L;
            a0 = widen(q, at).fma(FloatVector.broadcast(F, x[xo + j]), a0);
            a1 = widen(q, at + L).fma(FloatVector.broadcast(F, x[xo + j + 1]), a1);
            a2 = widen(q, at + 2 * L).fma(FloatVector.broadcast(F, x[xo + j + 2]), a2);
            a3 = widen(q, at + 3 * L).fma(FloatVector.broadcast(F, x[xo + j + 3]), a3);
        }
        for (; j < cols; j++) {
            a0 = widen(q, qo + j * L).fma(FloatVector.broadcast(F, x[xo + j]), a0);
        }
        store(a0.add(a1).add(a2.add(a3)).mul(FloatVector.fromArray(F, scale, so)), y, yo, valid);
    }

    /** {@link #blockInt8} for two activation rows at once. */
    static void block2Int8(byte[] q, int qo, float[] scale, int so, float[] x, int xo0, int xo1, int cols, float[] y,
                           int yo0, int yo1, int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= cols; j += 2) {
            int at = qo + j * L;
            FloatVector w0 = widen(q, at);
            FloatVector w1 = widen(q, at + L);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
            a1 = w1.fma(FloatVector.broadcast(F, x[xo0 + j + 1]), a1);
            b1 = w1.fma(FloatVector.broadcast(F, x[xo1 + j + 1]), b1);
        }
        for (; j < cols; j++) {
            FloatVector w0 = widen(q, qo + j * L);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
        }
        FloatVector s = FloatVector.fromArray(F, scale, so);
        store(a0.add(a1).mul(s), y, yo0, valid);
        store(b0.add(b1).mul(s), y, yo1, valid);
    }

    private static void store(FloatVector v, float[] y, int yo, int valid) {
        if (valid == L) {
            v.intoArray(y, yo);
        } else {
            v.intoArray(y, yo, F.indexInRange(0, valid));
        }
    }

    private static FloatVector widen(byte[] q, int at) {
        return (FloatVector) ByteVector.fromArray(B, q, at).convertShape(VectorOperators.B2F, F, 0);
    }

    /** a[0, n) = exp(a[i] − max) in place; returns their sum (a softmax's denominator). */
    static float expShifted(float[] a, int n, float max) {
        FloatVector m = FloatVector.broadcast(F, max);
        FloatVector sum = FloatVector.zero(F);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector e = FloatVector.fromArray(F, a, j).sub(m).lanewise(VectorOperators.EXP);
            e.intoArray(a, j);
            sum = sum.add(e);
        }
        float s = sum.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            a[j] = (float) Math.exp(a[j] - max);
            s += a[j];
        }
        return s;
    }

    /** act[ao + j] = silu(g[go + j]) · u[uo + j] = g / (1 + exp(−g)) · u for j in [0, n). */
    static void swiGlu(float[] g, int go, float[] u, int uo, float[] act, int ao, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int j = 0;
        for (; j + L <= n; j += L) {
            FloatVector gate = FloatVector.fromArray(F, g, go + j);
            FloatVector sig = one.add(gate.neg().lanewise(VectorOperators.EXP));
            gate.div(sig).mul(FloatVector.fromArray(F, u, uo + j)).intoArray(act, ao + j);
        }
        for (; j < n; j++) {
            float gate = g[go + j];
            act[ao + j] = gate / (1f + (float) Math.exp(-gate)) * u[uo + j];
        }
    }

    /** y[yo, yo+n) += a · x[xo, xo+n). */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int j = 0;
        for (; j + L <= n; j += L) {
            av.fma(FloatVector.fromArray(F, x, xo + j), FloatVector.fromArray(F, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) {
            y[yo + j] += a * x[xo + j];
        }
    }
}
