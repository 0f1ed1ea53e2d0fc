package dev.tailor.llm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.device.Devices;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Llama / Mistral / Qwen2 decoder in functional style: weights are plain NDArrays under their Hugging Face names
 * and {@link #forward} is a pure function of them. Base weights are never modified here and are shared by every
 * adapter and every concurrent request. All intermediate arrays are created in the manager of {@code inputIds}
 * (the caller's per-step manager), never in {@link #manager()}. Everything lives on the manager's device, weights and
 * activations in {@link #computeType()}; logits always come back float32 (an upcast autograd follows, so the loss is
 * float32 and its gradient reaches the lower-precision weights). Mixed precision keeps float32 master copies of the
 * trained weights outside the model ({@code TrainingLoop}).
 *
 * <p>Size note: this class holds weight validation, random init and the forward pass together because they share
 * the per-layer weight table; it stays below 400 lines.
 */
public final class Transformer implements AutoCloseable {

    private static final Projection[] PROJECTIONS = Projection.values();

    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final NDArray[][] weights; // [layer][projection] (out, in)
    private final NDArray[][] biases;  // [layer][projection] (out) or null
    private final NDArray[] inputNorms;
    private final NDArray[] postNorms;
    private final NDArray embed;       // (vocab, hidden)
    private final NDArray finalNorm;   // (hidden)
    private final NDArray lmHead;      // (vocab, hidden), same array as embed when tied
    private final Rope rope;
    private final NDArray eps;         // () scalar as an array: scalar ops under autograd are unsafe in DJL
    private final NDArray attnScale;   // ()
    private final DataType computeType;

    /** Wraps already-loaded float32 weights (HF names), validating that every tensor exists with the right shape. */
    public Transformer(ModelConfig config, Map<String, NDArray> weightsByName, NDManager manager) {
        this(config, weightsByName, manager, DataType.FLOAT32);
    }

    /**
     * @param weightsByName weights in {@code computeType}, on {@code manager}'s device
     * @param computeType   type of activations (float32, bfloat16 or float16)
     */
    public Transformer(ModelConfig config, Map<String, NDArray> weightsByName, NDManager manager,
                       DataType computeType) {
        this.config = config;
        this.manager = manager;
        this.computeType = computeType;
        int n = config.numLayers();
        Map<String, NDArray> p = new LinkedHashMap<>();
        int h = config.hiddenSize();
        embed = take(weightsByName, p, "model.embed_tokens.weight", config.vocabSize(), h);
        weights = new NDArray[n][PROJECTIONS.length];
        biases = new NDArray[n][PROJECTIONS.length];
        inputNorms = new NDArray[n];
        postNorms = new NDArray[n];
        for (int l = 0; l < n; l++) {
            inputNorms[l] = take(weightsByName, p, "model.layers." + l + ".input_layernorm.weight", h);
            for (Projection proj : PROJECTIONS) {
                int j = proj.ordinal();
                String base = modulePath(l, proj);
                weights[l][j] = take(weightsByName, p, base + ".weight", config.outFeatures(proj),
                        config.inFeatures(proj));
                if (biased(config, proj) || weightsByName.containsKey(base + ".bias")) {
                    biases[l][j] = take(weightsByName, p, base + ".bias", config.outFeatures(proj));
                }
            }
            postNorms[l] = take(weightsByName, p, "model.layers." + l + ".post_attention_layernorm.weight", h);
        }
        finalNorm = take(weightsByName, p, "model.norm.weight", h);
        lmHead = config.tieWordEmbeddings() ? embed
                : take(weightsByName, p, "lm_head.weight", config.vocabSize(), h);
        this.params = Collections.unmodifiableMap(p);
        this.rope = new Rope(config, manager, computeType);
        this.eps = manager.create((float) config.rmsNormEps());
        this.attnScale = manager.create((float) (1.0 / Math.sqrt(config.headDim())));
    }

    private NDArray take(Map<String, NDArray> src, Map<String, NDArray> dst, String name, long... shape) {
        NDArray a = src.get(name);
        if (a == null) {
            throw new IllegalArgumentException("Tensor '" + name + "' is missing from the " + config.architecture()
                    + " checkpoint");
        }
        if (!a.getShape().equals(new Shape(shape))) {
            throw new IllegalArgumentException("Tensor '" + name + "' has shape " + a.getShape() + " but config.json"
                    + " implies " + new Shape(shape));
        }
        if (a.getDataType() != computeType) {
            throw new IllegalArgumentException("Tensor '" + name + "' must be " + computeType + ", got "
                    + a.getDataType());
        }
        if (!a.getDevice().equals(manager.getDevice())) {
            throw new IllegalArgumentException("Tensor '" + name + "' is on " + a.getDevice() + " but the model on "
                    + manager.getDevice());
        }
        a.setName(name);
        dst.put(name, a);
        return a;
    }

    /** Qwen2 (and Llama with attention_bias) carry a bias on q, k and v. */
    private static boolean biased(ModelConfig config, Projection p) {
        return config.attentionBias() && (p == Projection.Q_PROJ || p == Projection.K_PROJ || p == Projection.V_PROJ);
    }

    /** Random init (normal 0.02 for matrices, ones for norms, zeros for biases), reproducible from {@code seed}. */
    public static Transformer random(ModelConfig config, NDManager manager, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, NDArray> w = new LinkedHashMap<>();
        int h = config.hiddenSize();
        w.put("model.embed_tokens.weight", normal(manager, rnd, config.vocabSize(), h));
        for (int l = 0; l < config.numLayers(); l++) {
            w.put("model.layers." + l + ".input_layernorm.weight", manager.ones(new Shape(h)));
            w.put("model.layers." + l + ".post_attention_layernorm.weight", manager.ones(new Shape(h)));
            for (Projection p : PROJECTIONS) {
                long out = config.outFeatures(p);
                w.put(modulePath(l, p) + ".weight", normal(manager, rnd, out, config.inFeatures(p)));
                if (biased(config, p)) {
                    w.put(modulePath(l, p) + ".bias", manager.zeros(new Shape(out)));
                }
            }
        }
        w.put("model.norm.weight", manager.ones(new Shape(h)));
        if (!config.tieWordEmbeddings()) {
            w.put("lm_head.weight", normal(manager, rnd, config.vocabSize(), h));
        }
        return new Transformer(config, w, manager);
    }

    private static NDArray normal(NDManager m, SplittableRandom rnd, long... shape) {
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (nextGaussian(rnd) * 0.02);
        }
        return m.create(v, new Shape(shape));
    }

    private static double nextGaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** HF module path of a projection, e.g. {@code model.layers.0.self_attn.q_proj}. */
    public static String modulePath(int layer, Projection projection) {
        return "model.layers." + layer + (projection.attention() ? ".self_attn." : ".mlp.") + projection.moduleName();
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    /** Type of activations and of the weights as the forward pass uses them. */
    public DataType computeType() {
        return computeType;
    }

    /** Every weight under its HF name ({@code lm_head.weight} only when untied). Live arrays: do not close. */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /** Weight (out, in) of a projection of a layer. */
    public NDArray weight(int layer, Projection projection) {
        return weights[layer][projection.ordinal()];
    }

    /**
     * Logits (B, T, V) float32 for int64 token ids (B, T); advances {@code cache} by T when given.
     *
     * @param delta added to the projections' outputs (a LoRA adapter), or null for the base model alone
     */
    public NDArray forward(NDArray inputIds, KvCache cache, ProjectionDelta delta, boolean training) {
        return forward(inputIds, cache, delta, training, false);
    }

    /**
     * @param lastOnly when true, logits only for the last position: (B, 1, V) (saves the vocabulary projection
     *                 of a prompt when generating)
     */
    public NDArray forward(NDArray inputIds, KvCache cache, ProjectionDelta delta, boolean training,
                           boolean lastOnly) {
        NDManager m = inputIds.getManager();
        long[] s = inputIds.getShape().getShape();
        if (s.length != 2) {
            throw new IllegalArgumentException("inputIds must be (batch, seq), got " + inputIds.getShape());
        }
        int b = (int) s[0];
        int t = (int) s[1];
        int start = cache == null ? 0 : cache.length();
        int total = start + t;
        if (total > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("Sequence of " + total + " tokens exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        if (cache != null) {
            cache.checkFits(b, total);
        }
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int d = config.headDim();
        int group = config.groupSize();
        NDArray ids = inputIds.getDataType() == DataType.INT64 ? inputIds : inputIds.toType(DataType.INT64, false);
        NDArray x = delta == null ? Embedding.embedding(ids, embed, SparseFormat.DENSE).singletonOrThrow()
                : delta.embed(ids, embed);                                                 // (B, T, H)
        NDArray cos = rope.cos(m, start, total);                                          // (T, D)
        NDArray sin = rope.sin(m, start, total);                                          // (T, D)
        NDArray mask = t > 1 ? Devices.as(causalMask(m, t, start, total), computeType, m) : null; // (T, S)
        for (int l = 0; l < config.numLayers(); l++) {
            NDArray hIn = rmsNorm(x, inputNorms[l]);                                       // (B, T, H)
            NDArray q = heads(proj(hIn, l, Projection.Q_PROJ, delta, training), b, t, heads, d);        // (B, nH, T, D)
            NDArray k = heads(proj(hIn, l, Projection.K_PROJ, delta, training), b, t, kvHeads, d);      // (B, kvH, T, D)
            NDArray v = heads(proj(hIn, l, Projection.V_PROJ, delta, training), b, t, kvHeads, d);      // (B, kvH, T, D)
            q = rope.apply(q, cos, sin).mul(attnScale);
            k = rope.apply(k, cos, sin);
            if (cache != null) {
                cache.write(l, start, k, v);
                k = cache.keys(m, l, total);                                               // (B, kvH, S, D)
                v = cache.values(m, l, total);                                             // (B, kvH, S, D)
            }
            // Query heads h = kv * G + g share key/value head kv (HF repeat_kv), without copying k/v.
            NDArray qg = q.reshape(b, kvHeads, group * t, d);                             // (B, kvH, G*T, D)
            NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2));                          // (B, kvH, G*T, S)
            if (mask != null) {
                scores = scores.reshape(b, kvHeads, group, t, total).add(mask)             // (B, kvH, G, T, S)
                        .reshape(b, kvHeads, group * t, total);
            }
            NDArray ctx = scores.softmax(-1).matMul(v);                                    // (B, kvH, G*T, D)
            NDArray att = t == 1 ? ctx.reshape(b, 1, heads * d)                           // (B, 1, nH*D)
                    : ctx.reshape(b, heads, t, d).transpose(0, 2, 1, 3).reshape(b, t, heads * d); // (B, T, nH*D)
            x = x.add(proj(att, l, Projection.O_PROJ, delta, training));                                 // (B, T, H)
            NDArray hPost = rmsNorm(x, postNorms[l]);
            NDArray gate = proj(hPost, l, Projection.GATE_PROJ, delta, training);                        // (B, T, I)
            NDArray up = proj(hPost, l, Projection.UP_PROJ, delta, training);                            // (B, T, I)
            NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);                      // silu(gate) * up
            x = x.add(proj(act, l, Projection.DOWN_PROJ, delta, training));                              // (B, T, H)
        }
        if (cache != null) {
            cache.advance(t);
        }
        if (lastOnly && t > 1) {
            x = x.get(new NDIndex().addAllDim().addSliceDim(t - 1, t));                    // (B, 1, H)
        }
        return Devices.toFloat32(head(rmsNorm(x, finalNorm), delta));                     // (B, T, V)
    }

    /**
     * One decoding step of rows {@code [0, n)} of a batch cache, each row at its own position (its cached length):
     * {@code ids} (n) holds each row's next token. The same computation as {@link #forward} with T = 1 row by row
     * (attention is masked to each row's own tokens). Advances every row by one.
     *
     * @param delta added to the projections' outputs; gets (n, 1, in) and may treat rows differently (per-row
     *              adapters), or null
     * @return logits (n, V) float32
     */
    public NDArray decode(NDArray ids, BatchKvCache cache, ProjectionDelta delta) {
        NDManager m = ids.getManager();
        int n = Math.toIntExact(ids.size());
        if (n < 1 || n > cache.rows()) {
            throw new IllegalArgumentException("decode takes 1 to " + cache.rows() + " rows, got " + n);
        }
        int[] pos = cache.positions(n);
        int total = 0;
        for (int p : pos) {
            total = Math.max(total, p + 1);
        }
        if (total > cache.capacity() || total > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("A row would hold " + total + " tokens; the cache holds "
                    + cache.capacity() + " and the model " + config.maxPositionEmbeddings());
        }
        int heads = config.numHeads();
        int kvHeads = config.numKvHeads();
        int d = config.headDim();
        int group = config.groupSize();
        long[] rows = new long[n];
        long[] positions = new long[n];
        float[] mask = new float[n * total];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            positions[i] = pos[i];
            Arrays.fill(mask, i * total + pos[i] + 1, (i + 1) * total, Float.NEGATIVE_INFINITY);
        }
        NDArray rowIdx = m.create(rows);                                                    // (n)
        NDArray posIdx = m.create(positions);                                               // (n)
        NDArray maskA = Devices.as(m.create(mask, new Shape(n, 1, 1, total)), computeType, m); // (n, 1, 1, S)
        NDArray cos = rope.cosAt(m, posIdx).reshape(n, 1, 1, d);                            // (n, 1, 1, D)
        NDArray sin = rope.sinAt(m, posIdx).reshape(n, 1, 1, d);                            // (n, 1, 1, D)
        NDArray idsN = ids.reshape(n, 1).toType(DataType.INT64, false);                   // (n, 1)
        NDArray x = delta == null ? Embedding.embedding(idsN, embed, SparseFormat.DENSE).singletonOrThrow()
                : delta.embed(idsN, embed);                                                  // (n, 1, H)
        for (int l = 0; l < config.numLayers(); l++) {
            NDArray hIn = rmsNorm(x, inputNorms[l]);                                         // (n, 1, H)
            NDArray q = proj(hIn, l, Projection.Q_PROJ, delta, false).reshape(n, heads, 1, d);    // (n, nH, 1, D)
            NDArray k = proj(hIn, l, Projection.K_PROJ, delta, false).reshape(n, kvHeads, 1, d);  // (n, kvH, 1, D)
            NDArray v = proj(hIn, l, Projection.V_PROJ, delta, false).reshape(n, kvHeads, d);     // (n, kvH, D)
            q = rope.apply(q, cos, sin).mul(attnScale);
            k = rope.apply(k, cos, sin);
            cache.write(l, rowIdx, posIdx, k.reshape(n, kvHeads, d), v);
            NDArray keys = cache.keys(m, l, n, total);                                       // (n, kvH, S, D)
            NDArray values = cache.values(m, l, n, total);                                   // (n, kvH, S, D)
            NDArray qg = q.reshape(n, kvHeads, group, d);                                    // (n, kvH, G, D)
            NDArray scores = qg.matMul(keys.transpose(0, 1, 3, 2)).add(maskA);               // (n, kvH, G, S)
            NDArray att = scores.softmax(-1).matMul(values).reshape(n, 1, heads * d);        // (n, 1, nH*D)
            x = x.add(proj(att, l, Projection.O_PROJ, delta, false));                        // (n, 1, H)
            NDArray hPost = rmsNorm(x, postNorms[l]);
            NDArray gate = proj(hPost, l, Projection.GATE_PROJ, delta, false);               // (n, 1, I)
            NDArray up = proj(hPost, l, Projection.UP_PROJ, delta, false);                   // (n, 1, I)
            x = x.add(proj(gate.mul(Activation.sigmoid(gate)).mul(up), l, Projection.DOWN_PROJ, delta, false));
        }
        cache.advance(n);
        NDArray logits = head(rmsNorm(x, finalNorm), delta);                               // (n, 1, V')
        return Devices.toFloat32(logits.reshape(n, logits.getShape().get(2)));            // (n, V') float32
    }

    /** Logits (B, T, V) of the base, or (B, T, V') through a delta with its own output layer. */
    private NDArray head(NDArray hidden, ProjectionDelta delta) {
        return delta == null ? Linear.linear(hidden, lmHead).singletonOrThrow() : delta.head(hidden, lmHead);
    }

    /** The token embedding table (V, H) (live: do not close). */
    public NDArray embedTokens() {
        return embed;
    }

    /** The output layer (V, H): the embedding table itself when tied (live: do not close). */
    public NDArray lmHead() {
        return lmHead;
    }

    /** (B, T, n*D) → (B, n, T, D); a plain reshape when T = 1 (same memory layout, one op less). */
    private static NDArray heads(NDArray x, int b, int t, int n, int d) {
        return t == 1 ? x.reshape(b, n, 1, d) : x.reshape(b, t, n, d).transpose(0, 2, 1, 3);
    }

    private NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();              // (B, T, 1)
        return x.div(rms).mul(weight);
    }

    private NDArray proj(NDArray x, int layer, Projection p, ProjectionDelta delta, boolean training) {
        NDArray weight = weights[layer][p.ordinal()];
        NDArray bias = biases[layer][p.ordinal()];
        NDArray y = (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
        NDArray extra = delta == null ? null : delta.apply(layer, p, x, training);
        return extra == null ? y : y.add(extra);
    }

    /** 0 where position start + i may attend to j, -inf after it: (T, S). */
    private static NDArray causalMask(NDManager m, int t, int start, int total) {
        float[] mask = new float[t * total];
        for (int i = 0; i < t; i++) {
            Arrays.fill(mask, i * total + start + i + 1, (i + 1) * total, Float.NEGATIVE_INFINITY);
        }
        return m.create(mask, new Shape(t, total));
    }

    /** A KV cache for {@code batch} sequences of up to {@code capacity} tokens (native memory, close it). */
    public KvCache newCache(int batch, int capacity) {
        return new KvCache(config, manager, batch, Math.min(capacity, config.maxPositionEmbeddings()), computeType);
    }

    /** A cache for {@code rows} sequences of up to {@code capacity} tokens each (native memory, close it). */
    public BatchKvCache newBatchCache(int rows, int capacity) {
        return new BatchKvCache(config, manager, rows, Math.min(capacity, config.maxPositionEmbeddings()),
                computeType);
    }

    @Override
    public void close() {
        manager.close();
    }
}
