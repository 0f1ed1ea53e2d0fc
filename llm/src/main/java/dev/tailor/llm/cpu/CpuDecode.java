package dev.tailor.llm.cpu;

import dev.tailor.common.events.Projection;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.model.KvCache;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.ProjectionDelta;
import dev.tailor.llm.model.Transformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Decoding on the CPU in Java: the same computation as {@link Transformer#forward} (Llama / Mistral / Qwen2, GQA,
 * rotate-half RoPE, RMSNorm, SwiGLU, LoRA adapters per sequence, adapters with their own vocabulary), on weights
 * copied into the Java heap ({@link WeightFormat}) and vectorized with the JDK's Vector API, with the parallel
 * sections on a {@link WorkerPool} of its own threads. Per token it makes about a dozen passes over the weights where
 * PyTorch through DJL makes hundreds of native calls, which is what bounds batch-1 decoding of small models.
 *
 * <p>A step runs any number of items, each a token of a sequence at the sequence's next position: one item per
 * sequence when decoding a batch, the tokens of a prompt chunk of one sequence when prefilling (they attend
 * causally to each other through the cache). Each weight matrix is read once per step whatever the number of items.
 * Thread-safe: concurrent steps on distinct caches share the weights (the pool runs one step at a time in parallel,
 * the others on their callers' threads). The weights are copied when the engine is made, and a LoRA adapter's the
 * first time a step uses it: later changes to their arrays are not seen (serving loads adapters and never changes
 * them; to decode an adapter still being trained, use PyTorch).
 */
public final class CpuDecode implements AutoCloseable {

    /**
     * Prompts of at least this many tokens are better prefilled on PyTorch, whose matrix-matrix products (MKL) run
     * about 2.5 times faster than this engine's on many rows, and their cache taken over ({@link #adopt}); shorter
     * ones (and every decoding step) run here.
     */
    public static final int TORCH_PREFILL_MIN = 16;

    private final CpuModel model;
    private final Map<ProjectionDelta, CpuAdapter> adapters = new WeakHashMap<>();
    private volatile WorkerPool pool;

    private CpuDecode(CpuModel model, int threads) {
        this.model = model;
        this.pool = new WorkerPool(threads);
    }

    /** Whether this JVM can run it: the {@code jdk.incubator.vector} module is there ({@code --add-modules}). */
    public static boolean supported() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Copies {@code t}'s weights (in {@code format}) for decoding on {@code threads} threads.
     *
     * @throws IllegalStateException    when the JVM lacks the Vector API ({@link #supported()})
     * @throws IllegalArgumentException when the model is not on the CPU
     */
    public static CpuDecode create(Transformer t, WeightFormat format, int threads) {
        if (!supported()) {
            throw new IllegalStateException("CPU decoding needs the JDK's Vector API: start the JVM with"
                    + " --add-modules=jdk.incubator.vector");
        }
        return new CpuDecode(CpuModel.pack(t, format), threads);
    }

    /** Heap bytes the copy of a model of {@code config}'s shape takes in {@code format} (about). */
    public static long heapBytes(ModelConfig config, WeightFormat format) {
        return config.parameterCount() * (format == WeightFormat.FLOAT32 ? 4 : 1);
    }

    /** Whether this JVM's heap has room for that copy now. */
    public static boolean fitsHeap(ModelConfig config, WeightFormat format) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return heapBytes(config, format) + (64L << 20) < free;
    }

    public WeightFormat format() {
        return model.format;
    }

    public ModelConfig config() {
        return model.config;
    }

    /** Threads of each parallel section. */
    public int threads() {
        return pool.threads();
    }

    /** Uses {@code threads} threads from the next step on. */
    public synchronized void setThreads(int threads) {
        if (threads != pool.threads()) {
            WorkerPool old = pool;
            pool = new WorkerPool(threads);
            old.close();
        }
    }

    /** Bytes of weights one decoding step reads (every matrix once, the output layer included). */
    public long bytesPerToken() {
        return model.bytesPerToken();
    }

    /** An empty cache for one sequence of up to {@code capacity} tokens (cut to the model's context). */
    public CpuCache newCache(int capacity) {
        return new CpuCache(model.config.numLayers(), model.config.numKvHeads(), model.config.headDim(),
                Math.min(capacity, model.config.maxPositionEmbeddings()));
    }

    /**
     * A cache for one sequence of up to {@code capacity} tokens holding what PyTorch's {@code kv} (one row) has
     * cached: the prompt prefilled there.
     */
    public CpuCache adopt(KvCache kv, int capacity) {
        int layers = model.config.numLayers();
        float[][] keys = new float[layers][];
        float[][] values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = kv.positionMajor(l, false);
            values[l] = kv.positionMajor(l, true);
        }
        CpuCache cache = newCache(Math.max(capacity, kv.length()));
        cache.fill(kv.length(), keys, values);
        return cache;
    }

    /**
     * Whether this engine can apply {@code delta}: none, or a LoRA adapter of this base (other deltas run on
     * PyTorch).
     */
    public static boolean handles(ProjectionDelta delta) {
        return delta == null || delta instanceof LoraAdapter;
    }

    /**
     * Runs the prompt chunk {@code ids} of one sequence (appended to {@code cache}) and returns the logits of its
     * last token (the delta's vocabulary).
     */
    public float[] prefill(CpuCache cache, int[] ids, ProjectionDelta delta) {
        int n = ids.length;
        if (n == 0) {
            throw new IllegalArgumentException("a prompt chunk needs at least one token");
        }
        CpuCache[] caches = new CpuCache[n];
        CpuAdapter[] ads = new CpuAdapter[n];
        int[] pos = new int[n];
        boolean[] want = new boolean[n];
        CpuAdapter ad = adapter(delta);
        for (int i = 0; i < n; i++) {
            caches[i] = cache;
            ads[i] = ad;
            pos[i] = cache.length + i;
        }
        want[n - 1] = true;
        return step(ids, caches, pos, ads, want)[n - 1];
    }

    /**
     * One token of each of {@code n} sequences: {@code ids[i]} is appended to {@code caches[i]} (distinct caches)
     * with {@code deltas[i]} (or null); returns each row's logits (its delta's vocabulary).
     */
    public float[][] decode(CpuCache[] caches, int[] ids, List<ProjectionDelta> deltas) {
        int n = ids.length;
        if (caches.length != n || deltas.size() != n) {
            throw new IllegalArgumentException(n + " ids, " + caches.length + " caches, " + deltas.size() + " deltas");
        }
        CpuAdapter[] ads = new CpuAdapter[n];
        int[] pos = new int[n];
        boolean[] want = new boolean[n];
        for (int i = 0; i < n; i++) {
            ads[i] = adapter(deltas.get(i));
            pos[i] = caches[i].length;
            want[i] = true;
        }
        return step(ids, caches, pos, ads, want);
    }

    private CpuAdapter adapter(ProjectionDelta delta) {
        if (delta == null) {
            return null;
        }
        if (!(delta instanceof LoraAdapter lora)) {
            throw new IllegalArgumentException("CPU decoding applies LoRA adapters only, not "
                    + delta.getClass().getSimpleName());
        }
        synchronized (adapters) {
            return adapters.computeIfAbsent(delta, d -> new CpuAdapter(lora, model.config.numLayers(),
                    model.config.vocabSize(), model.format));
        }
    }

    /** The forward pass of n items; logits for the items with {@code want[i]}, null for the others. */
    private float[][] step(int[] ids, CpuCache[] caches, int[] pos, CpuAdapter[] ads, boolean[] want) {
        CpuModel m = model;
        ModelConfig c = m.config;
        WorkerPool p = pool;
        int n = ids.length;
        int h = m.hidden;
        int qkvDim = m.qDim + 2 * m.kvDim;
        for (int i = 0; i < n; i++) {
            int vocab = ads[i] == null ? c.vocabSize() : ads[i].vocab;
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException("Token id " + ids[i] + " is outside the vocabulary [0, " + vocab
                        + ")");
            }
            caches[i].ensure(pos[i] + 1);
        }
        float[] x = new float[n * h];
        float[] xb = new float[n * h];
        float[] qkv = new float[n * qkvDim];
        float[] att = new float[n * m.qDim];
        float[] out = new float[n * h];
        float[] gu = new float[n * 2 * m.inter];
        float[] act = new float[n * m.inter];
        for (int i = 0; i < n; i++) {
            PackedMatrix table = ads[i] != null && ads[i].embed != null ? ads[i].embed : m.embed;
            table.copyRow(ids[i], x, i * h);
        }
        float eps = (float) c.rmsNormEps();
        for (int l = 0; l < c.numLayers(); l++) {
            rmsNorm(x, m.inputNorm[l], xb, n, h, eps);
            linear(p, m.qkv[l], xb, n, qkv, m.qkvBias[l]);
            lora(ads, l, xb, n, h, qkv, qkvDim, Projection.Q_PROJ, 0);
            lora(ads, l, xb, n, h, qkv, qkvDim, Projection.K_PROJ, m.qDim);
            lora(ads, l, xb, n, h, qkv, qkvDim, Projection.V_PROJ, m.qDim + m.kvDim);
            ropeAndStore(l, qkv, n, caches, pos);
            attention(p, l, qkv, n, caches, pos, att);
            linear(p, m.o[l], att, n, out, m.oBias[l]);
            lora(ads, l, att, n, m.qDim, out, h, Projection.O_PROJ, 0);
            add(x, out);
            rmsNorm(x, m.postNorm[l], xb, n, h, eps);
            linear(p, m.gateUp[l], xb, n, gu, m.gateUpBias[l]);
            lora(ads, l, xb, n, h, gu, 2 * m.inter, Projection.GATE_PROJ, 0);
            lora(ads, l, xb, n, h, gu, 2 * m.inter, Projection.UP_PROJ, m.inter);
            swiGlu(gu, act, n, m.inter);
            linear(p, m.down[l], act, n, out, m.downBias[l]);
            lora(ads, l, act, n, m.inter, out, h, Projection.DOWN_PROJ, 0);
            add(x, out);
        }
        for (int i = 0; i < n; i++) {
            caches[i].length = Math.max(caches[i].length, pos[i] + 1);
        }
        return logits(p, x, ads, want);
    }

    /** Logits of the wanted items, each through its adapter's output layer or the base's (one pass per layer). */
    private float[][] logits(WorkerPool p, float[] x, CpuAdapter[] ads, boolean[] want) {
        int n = want.length;
        int h = model.hidden;
        float[][] result = new float[n][];
        Map<PackedMatrix, List<Integer>> byHead = new java.util.IdentityHashMap<>(); // head → wanted items
        for (int i = 0; i < n; i++) {
            if (want[i]) {
                PackedMatrix head = ads[i] != null && ads[i].head != null ? ads[i].head : model.head;
                byHead.computeIfAbsent(head, k -> new ArrayList<>()).add(i);
            }
        }
        byHead.forEach((head, rows) -> {
            int k = rows.size();
            float[] in = new float[k * h];
            for (int j = 0; j < k; j++) {
                System.arraycopy(x, rows.get(j) * h, in, j * h, h);
            }
            float[] normed = new float[k * h];
            rmsNorm(in, model.finalNorm, normed, k, h, (float) model.config.rmsNormEps());
            float[] logits = new float[k * head.rows];
            p.forRange(head.rows, PackedMatrix.Q, (r0, r1) -> head.multiply(normed, k, logits, r0, r1));
            for (int j = 0; j < k; j++) {
                result[rows.get(j)] = k == 1 ? logits
                        : java.util.Arrays.copyOfRange(logits, j * head.rows, (j + 1) * head.rows);
            }
        });
        return result;
    }

    /** y (n, rows) = x (n, cols) W^T (+ bias), the output rows split over the pool. */
    private static void linear(WorkerPool p, PackedMatrix w, float[] x, int n, float[] y, float[] bias) {
        p.forRange(w.rows, PackedMatrix.Q, (r0, r1) -> w.multiply(x, n, y, r0, r1));
        if (bias != null) {
            for (int i = 0; i < n; i++) {
                VectorMath.axpy(1f, bias, 0, y, i * w.rows, w.rows);
            }
        }
    }

    /**
     * Adds {@code scaling · B (A x_i)} of each item's adapter to columns [at, at + out) of y (n, width), for
     * projection {@code proj} of layer l; x is (n, in).
     */
    private static void lora(CpuAdapter[] ads, int l, float[] x, int n, int in, float[] y, int width,
                             Projection proj, int at) {
        for (int i = 0; i < n; i++) {
            CpuAdapter ad = ads[i];
            if (ad == null || ad.a[l][proj.ordinal()] == null) {
                continue;
            }
            PackedMatrix a = ad.a[l][proj.ordinal()];
            PackedMatrix b = ad.b[l][proj.ordinal()];
            float[] xi = java.util.Arrays.copyOfRange(x, i * in, (i + 1) * in);
            float[] low = new float[a.rows];
            a.multiply(xi, 1, low, 0, a.rows);
            float[] delta = new float[b.rows];
            b.multiply(low, 1, delta, 0, b.rows);
            VectorMath.axpy(ad.scaling, delta, 0, y, i * width + at, b.rows);
        }
    }

    /** Rotates q and k of each item at its position, scales q by 1/sqrt(D), and stores k and v in its cache. */
    private void ropeAndStore(int l, float[] qkv, int n, CpuCache[] caches, int[] pos) {
        CpuModel m = model;
        int d = m.config.headDim();
        int half = d / 2;
        int qkvDim = m.qDim + 2 * m.kvDim;
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] cos = m.rope.cos();
        float[] sin = m.rope.sin();
        for (int i = 0; i < n; i++) {
            int base = i * qkvDim;
            int r = pos[i] * d;
            for (int at = base; at < base + m.qDim + m.kvDim; at += d) {
                for (int j = 0; j < half; j++) {
                    float x1 = qkv[at + j];
                    float x2 = qkv[at + j + half];
                    qkv[at + j] = x1 * cos[r + j] - x2 * sin[r + j];
                    qkv[at + j + half] = x2 * cos[r + j + half] + x1 * sin[r + j + half];
                }
            }
            for (int j = base; j < base + m.qDim; j++) {
                qkv[j] *= scale;
            }
            caches[i].put(l, pos[i], qkv, base + m.qDim, qkv, base + m.qDim + m.kvDim);
        }
    }

    /** att (n, heads · D): softmax(q k^T) v of each item and head over its cache's positions [0, pos]. */
    private void attention(WorkerPool p, int l, float[] qkv, int n, CpuCache[] caches, int[] pos, float[] att) {
        CpuModel m = model;
        int heads = m.config.numHeads();
        int d = m.config.headDim();
        int group = m.config.groupSize();
        int qkvDim = m.qDim + 2 * m.kvDim;
        int kvDim = m.kvDim;
        p.forRange(n * heads, 1, (from, to) -> {
            for (int task = from; task < to; task++) {
                int i = task / heads;
                int head = task % heads;
                int kvHead = head / group;
                int kvOff = kvHead * d;
                CpuCache cache = caches[i];
                float[] keys = cache.keys[l];
                float[] values = cache.values[l];
                int q = i * qkvDim + head * d;
                int len = pos[i] + 1;
                float[] scores = new float[(len + CpuCache.L - 1) / CpuCache.L * CpuCache.L];
                for (int t = 0; t < len; t += CpuCache.L) { // L positions' scores at once
                    VectorMath.scores(keys, cache.keyBlock(t, kvHead), qkv, q, d, scores, t);
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < len; t++) {
                    max = Math.max(max, scores[t]);
                }
                float sum = VectorMath.expShifted(scores, len, max);
                float inv = 1f / sum;
                for (int t = 0; t < len; t++) {
                    scores[t] *= inv;
                }
                VectorMath.weightedSum(values, kvOff, kvDim, scores, len, d, att, i * m.qDim + head * d);
            }
        });
    }

    /** out (n, h) = x / sqrt(mean(x²) + eps) · w, row by row. */
    private static void rmsNorm(float[] x, float[] w, float[] out, int n, int h, float eps) {
        for (int i = 0; i < n; i++) {
            int o = i * h;
            float ss = VectorMath.dot(x, o, x, o, h);
            float rms = (float) Math.sqrt(ss / h + eps);
            for (int j = 0; j < h; j++) {
                out[o + j] = x[o + j] / rms * w[j];
            }
        }
    }

    /** act (n, I) = silu(gate) · up of gu (n, 2I) = [gate | up] per row. */
    private static void swiGlu(float[] gu, float[] act, int n, int inter) {
        for (int i = 0; i < n; i++) {
            VectorMath.swiGlu(gu, i * 2 * inter, gu, i * 2 * inter + inter, act, i * inter, inter);
        }
    }

    private static void add(float[] x, float[] y) {
        VectorMath.axpy(1f, y, 0, x, 0, x.length);
    }

    @Override
    public void close() {
        pool.close();
    }
}
