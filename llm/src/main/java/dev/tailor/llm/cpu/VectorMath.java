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
     * One block of {@link #L} rows of a packed matrix, column by column ({@code w[wo + j·ld + lane]} is row
     * {@code lane}'s weight of column j): {@code y[yo + lane] = Σ_j w[wo + j·ld + lane] · x[xo + j]} for the first
     * {@code valid} lanes. Lanes are rows, so no horizontal sum is needed: one load, one broadcast and one fused
     * multiply-add per column and L rows.
     */
    static void block(float[] w, int wo, int ld, float[] x, int xo, int cols, float[] y, int yo, int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            int at = wo + j * ld;
            a0 = FloatVector.fromArray(F, w, at).fma(FloatVector.broadcast(F, x[xo + j]), a0);
            a1 = FloatVector.fromArray(F, w, at + ld).fma(FloatVector.broadcast(F, x[xo + j + 1]), a1);
            a2 = FloatVector.fromArray(F, w, at + 2 * ld).fma(FloatVector.broadcast(F, x[xo + j + 2]), a2);
            a3 = FloatVector.fromArray(F, w, at + 3 * ld).fma(FloatVector.broadcast(F, x[xo + j + 3]), a3);
        }
        for (; j < cols; j++) {
            a0 = FloatVector.fromArray(F, w, wo + j * ld).fma(FloatVector.broadcast(F, x[xo + j]), a0);
        }
        store(a0.add(a1).add(a2.add(a3)), y, yo, valid);
    }

    /**
     * Four blocks of L rows stored together ({@code w[wo + j·4L + k·L + lane]} is row {@code k·L + lane}'s weight of
     * column j): the 4L rows' outputs to {@code y[yo, yo + 4L)}. The weights are read front to back, one stream, one
     * broadcast of x per column for all four blocks.
     */
    static void blockQuad(float[] w, int wo, float[] x, int xo, int cols, float[] y, int yo) {
        // even and odd columns in separate accumulators: shorter dependency chains, and each result stored is a sum
        // (C2 of JDK 17 does not intrinsify storing a vector that is a loop's phi: it would box it)
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        FloatVector b2 = FloatVector.zero(F);
        FloatVector b3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= cols; j += 2) {
            FloatVector xa = FloatVector.broadcast(F, x[xo + j]);
            FloatVector xb = FloatVector.broadcast(F, x[xo + j + 1]);
            int at = wo + j * 4 * L;
            a0 = FloatVector.fromArray(F, w, at).fma(xa, a0);
            a1 = FloatVector.fromArray(F, w, at + L).fma(xa, a1);
            a2 = FloatVector.fromArray(F, w, at + 2 * L).fma(xa, a2);
            a3 = FloatVector.fromArray(F, w, at + 3 * L).fma(xa, a3);
            b0 = FloatVector.fromArray(F, w, at + 4 * L).fma(xb, b0);
            b1 = FloatVector.fromArray(F, w, at + 5 * L).fma(xb, b1);
            b2 = FloatVector.fromArray(F, w, at + 6 * L).fma(xb, b2);
            b3 = FloatVector.fromArray(F, w, at + 7 * L).fma(xb, b3);
        }
        if (j < cols) {
            FloatVector xa = FloatVector.broadcast(F, x[xo + j]);
            int at = wo + j * 4 * L;
            a0 = FloatVector.fromArray(F, w, at).fma(xa, a0);
            a1 = FloatVector.fromArray(F, w, at + L).fma(xa, a1);
            a2 = FloatVector.fromArray(F, w, at + 2 * L).fma(xa, a2);
            a3 = FloatVector.fromArray(F, w, at + 3 * L).fma(xa, a3);
        }
        a0.add(b0).intoArray(y, yo);
        a1.add(b1).intoArray(y, yo + L);
        a2.add(b2).intoArray(y, yo + 2 * L);
        a3.add(b3).intoArray(y, yo + 3 * L);
    }

    /** {@link #block} for two activation rows at once (the weights read once for both). */
    static void block2(float[] w, int wo, int ld, float[] x, int xo0, int xo1, int cols, float[] y, int yo0, int yo1,
                       int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= cols; j += 2) {
            int at = wo + j * ld;
            FloatVector w0 = FloatVector.fromArray(F, w, at);
            FloatVector w1 = FloatVector.fromArray(F, w, at + ld);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
            a1 = w1.fma(FloatVector.broadcast(F, x[xo0 + j + 1]), a1);
            b1 = w1.fma(FloatVector.broadcast(F, x[xo1 + j + 1]), b1);
        }
        for (; j < cols; j++) {
            FloatVector w0 = FloatVector.fromArray(F, w, wo + j * ld);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
        }
        store(a0.add(a1), y, yo0, valid);
        store(b0.add(b1), y, yo1, valid);
    }

    /** {@link #block} on int8 weights, times the rows' scales {@code scale[so + lane]}. */
    static void blockInt8(byte[] q, int qo, int ld, float[] scale, int so, float[] x, int xo, int cols, float[] y,
                          int yo, int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 4 <= cols; j += 4) {
            int at = qo + j * ld;
            a0 = widen(q, at).fma(FloatVector.broadcast(F, x[xo + j]), a0);
            a1 = widen(q, at + ld).fma(FloatVector.broadcast(F, x[xo + j + 1]), a1);
            a2 = widen(q, at + 2 * ld).fma(FloatVector.broadcast(F, x[xo + j + 2]), a2);
            a3 = widen(q, at + 3 * ld).fma(FloatVector.broadcast(F, x[xo + j + 3]), a3);
        }
        for (; j < cols; j++) {
            a0 = widen(q, qo + j * ld).fma(FloatVector.broadcast(F, x[xo + j]), a0);
        }
        store(a0.add(a1).add(a2.add(a3)).mul(FloatVector.fromArray(F, scale, so)), y, yo, valid);
    }

    /** {@link #blockQuad} on int8 weights (one 4L-byte line per column), times the rows' scales from {@code so}. */
    static void blockQuadInt8(byte[] q, int qo, float[] scale, int so, float[] x, int xo, int cols, float[] y,
                              int yo) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        FloatVector b2 = FloatVector.zero(F);
        FloatVector b3 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= cols; j += 2) {
            FloatVector xa = FloatVector.broadcast(F, x[xo + j]);
            FloatVector xb = FloatVector.broadcast(F, x[xo + j + 1]);
            int at = qo + j * 4 * L;
            a0 = widen(q, at).fma(xa, a0);
            a1 = widen(q, at + L).fma(xa, a1);
            a2 = widen(q, at + 2 * L).fma(xa, a2);
            a3 = widen(q, at + 3 * L).fma(xa, a3);
            b0 = widen(q, at + 4 * L).fma(xb, b0);
            b1 = widen(q, at + 5 * L).fma(xb, b1);
            b2 = widen(q, at + 6 * L).fma(xb, b2);
            b3 = widen(q, at + 7 * L).fma(xb, b3);
        }
        if (j < cols) {
            FloatVector xa = FloatVector.broadcast(F, x[xo + j]);
            int at = qo + j * 4 * L;
            a0 = widen(q, at).fma(xa, a0);
            a1 = widen(q, at + L).fma(xa, a1);
            a2 = widen(q, at + 2 * L).fma(xa, a2);
            a3 = widen(q, at + 3 * L).fma(xa, a3);
        }
        a0.add(b0).mul(FloatVector.fromArray(F, scale, so)).intoArray(y, yo);
        a1.add(b1).mul(FloatVector.fromArray(F, scale, so + L)).intoArray(y, yo + L);
        a2.add(b2).mul(FloatVector.fromArray(F, scale, so + 2 * L)).intoArray(y, yo + 2 * L);
        a3.add(b3).mul(FloatVector.fromArray(F, scale, so + 3 * L)).intoArray(y, yo + 3 * L);
    }

    /** {@link #blockInt8} for two activation rows at once. */
    static void block2Int8(byte[] q, int qo, int ld, float[] scale, int so, float[] x, int xo0, int xo1, int cols,
                           float[] y, int yo0, int yo1, int valid) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F);
        FloatVector b1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= cols; j += 2) {
            int at = qo + j * ld;
            FloatVector w0 = widen(q, at);
            FloatVector w1 = widen(q, at + ld);
            a0 = w0.fma(FloatVector.broadcast(F, x[xo0 + j]), a0);
            b0 = w0.fma(FloatVector.broadcast(F, x[xo1 + j]), b0);
            a1 = w1.fma(FloatVector.broadcast(F, x[xo0 + j + 1]), a1);
            b1 = w1.fma(FloatVector.broadcast(F, x[xo1 + j + 1]), b1);
        }
        for (; j < cols; j++) {
            FloatVector w0 = widen(q, qo + j * ld);
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

    /**
     * Attention scores of L positions: {@code out[oo + lane] = Σ_d q[qo + d] · k[ko + d·L + lane]} (keys of a block
     * of positions, dimension by dimension).
     */
    static void scores(float[] k, int ko, float[] q, int qo, int d, float[] out, int oo) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int j = 0;
        for (; j + 2 <= d; j += 2) {
            a0 = FloatVector.fromArray(F, k, ko + j * L).fma(FloatVector.broadcast(F, q[qo + j]), a0);
            a1 = FloatVector.fromArray(F, k, ko + j * L + L).fma(FloatVector.broadcast(F, q[qo + j + 1]), a1);
        }
        if (j < d) {
            a0 = FloatVector.fromArray(F, k, ko + j * L).fma(FloatVector.broadcast(F, q[qo + j]), a0);
        }
        a0.add(a1).intoArray(out, oo);
    }

    /**
     * {@code out[oo, oo + d) = Σ_t p[t] · v[vo + t·stride, + d)} for t in [0, len): attention's weighted sum of
     * values, accumulated in registers up to four vectors of d at a time (the rest, d not a multiple of L, by axpy).
     */
    static void weightedSum(float[] v, int vo, int stride, float[] p, int len, int d, float[] out, int oo) {
        int c = 0;
        for (; c + 4 * L <= d; c += 4 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            for (int t = 0; t < len; t++) {
                FloatVector pt = FloatVector.broadcast(F, p[t]);
                int at = vo + t * stride + c;
                a0 = FloatVector.fromArray(F, v, at).fma(pt, a0);
                a1 = FloatVector.fromArray(F, v, at + L).fma(pt, a1);
                a2 = FloatVector.fromArray(F, v, at + 2 * L).fma(pt, a2);
                a3 = FloatVector.fromArray(F, v, at + 3 * L).fma(pt, a3);
            }
            FloatVector zero = FloatVector.zero(F); // stored values must be results, not loop phis (C2, JDK 17)
            a0.add(zero).intoArray(out, oo + c);
            a1.add(zero).intoArray(out, oo + c + L);
            a2.add(zero).intoArray(out, oo + c + 2 * L);
            a3.add(zero).intoArray(out, oo + c + 3 * L);
        }
        for (; c + L <= d; c += L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int t = 0;
            for (; t + 2 <= len; t += 2) {
                int at = vo + t * stride + c;
                a0 = FloatVector.fromArray(F, v, at).fma(FloatVector.broadcast(F, p[t]), a0);
                a1 = FloatVector.fromArray(F, v, at + stride).fma(FloatVector.broadcast(F, p[t + 1]), a1);
            }
            if (t < len) {
                a0 = FloatVector.fromArray(F, v, vo + t * stride + c).fma(FloatVector.broadcast(F, p[t]), a0);
            }
            a0.add(a1).intoArray(out, oo + c);
        }
        if (c < d) {
            java.util.Arrays.fill(out, oo + c, oo + d, 0f);
            for (int t = 0; t < len; t++) {
                axpy(p[t], v, vo + t * stride + c, out, oo + c, d - c);
            }
        }
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
