package dev.tailor.dataprep.dedup;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import java.util.List;
import java.util.Random;

/**
 * Near-duplicates by meaning: sentence embeddings (all-MiniLM-L6-v2, int8-quantized ONNX model shipped in the
 * langchain4j jar, run locally by onnxruntime) compared by cosine similarity. Catches paraphrases, which share
 * few word 3-grams and pass {@link NearDuplicateIndex}.
 * <p>A chat example is two texts, its user turns (the question) and its assistant turns (the answer), embedded
 * separately: it duplicates an earlier chat when its question and its answer are both at least
 * {@code threshold} similar to that chat's, and its similarity is the smaller of the two. (Embedding question
 * and answer together does not work: the model reads only the first 128 word pieces, so a long question hides
 * the answer and the same question with an unrelated answer scores 1.0.) A text example is one text and is
 * compared with earlier text examples only.
 * <p>Each remembered example keeps its two vectors int8-quantized (2 × 384 bytes) and one 4-byte entry per LSH
 * table: about 0.87 KB at threshold 0.92, 0.96 KB at 0.85, in {@link MappedArray}s (off the heap). Candidates come from random-hyperplane LSH on the
 * question (or text) vector: every table keys a vector by the signs of {@value #BITS} random projections, so two
 * vectors at angle θ share a key with probability (1 − θ/π)^12; the number of tables is the smallest that finds
 * a pair at the threshold with probability ≥ 0.99 (22 tables at 0.92, 46 at 0.85, at most 64). Candidates are
 * verified with the exact cosine of the quantized vectors. The model is loaded on first use, once per JVM, and
 * shared.
 */
public final class SemanticDuplicateIndex implements AutoCloseable {
    /** Embedding size of all-MiniLM-L6-v2. */
    public static final int DIM = 384;
    private static final int BITS = 12;
    private static final int MAX_TABLES = 64;

    private final double threshold;
    private final int capacity;
    private final int tables;
    private final float[] planes;     // [tables * BITS][DIM], row-major
    private final int[] heads;        // [tables][1 << BITS]: newest entry + 1 with that key, 0 = none
    private MappedArray next;         // int [entry][tables]: older entry + 1 with the same key, 0 = none
    private MappedArray vectors;      // byte [entry][2][DIM]: question (or text) vector, answer vector (zero for text)
    private MappedArray norms;        // float [entry][2]: Euclidean norms of the quantized vectors
    private MappedArray chats;        // byte [entry]: 1 for a chat, 0 for a text
    private MappedArray seen;         // int [entry]: last lookup that verified it (one verification per lookup)
    private long slots;               // entries the arrays hold
    private int lookups;
    private int count;

    /**
     * @param threshold cosine similarity (0, 1] at or above which two examples are duplicates
     * @param capacity examples remembered at most; later examples are checked but not added (bounded memory)
     */
    public SemanticDuplicateIndex(double threshold, int capacity) {
        if (threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        this.threshold = threshold;
        this.capacity = Math.min(capacity, Integer.MAX_VALUE / (2 * DIM));
        double agree = 1 - Math.acos(Math.min(1, threshold)) / Math.PI;   // P(one sign bit agrees) at the threshold
        double hit = Math.pow(agree, BITS);                                // P(a table key agrees)
        this.tables = hit >= 0.99 ? 1 : (int) Math.min(MAX_TABLES, Math.ceil(Math.log(0.01) / Math.log(1 - hit)));
        this.planes = new float[tables * BITS * DIM];
        Random random = new Random(0x5EED_0F_1DEAL); // fixed: the same input always gives the same result
        for (int i = 0; i < planes.length; i++) {
            planes[i] = (float) random.nextGaussian();
        }
        this.heads = new int[tables << BITS];
        this.slots = Math.min(1024, Math.max(1, this.capacity));
        this.next = new MappedArray(slots * tables * 4);
        this.vectors = new MappedArray(slots * 2 * DIM);
        this.norms = new MappedArray(slots * 2 * 4);
        this.chats = new MappedArray(slots);
        this.seen = new MappedArray(slots * 4);
    }

    /** Result of {@link #add}: the index of the earlier duplicate (or -1) and its cosine similarity. */
    public record Match(int duplicateOf, double similarity) {
    }

    /** LSH tables used for this threshold. */
    int tables() {
        return tables;
    }

    /**
     * Embeds {@code e} (a chat: its user turns and its assistant turns; else its text) and adds it unless it
     * duplicates an earlier example; returns the most similar earlier duplicate.
     */
    public Match add(Example e) {
        if (!e.isChat()) {
            return add(embed(List.of(e.text())).get(0), null);
        }
        StringBuilder question = new StringBuilder();
        StringBuilder answer = new StringBuilder();
        for (Message m : e.messages()) {
            StringBuilder side = m.role().equals("user") ? question : m.role().equals("assistant") ? answer : null;
            if (side != null) {
                side.append(side.isEmpty() ? "" : "\n").append(m.content());
            }
        }
        if (question.toString().isBlank() || answer.toString().isBlank()) {
            throw new IllegalArgumentException("a chat example needs a user and an assistant message (" + e.source() + ")");
        }
        List<float[]> v = embed(List.of(question.toString(), answer.toString()));
        return add(v.get(0), v.get(1));
    }

    /**
     * Adds an example given its unit-length embeddings unless it duplicates an earlier one.
     *
     * @param first question (chat) or text vector, [DIM]
     * @param second answer vector [DIM] of a chat, null for a text example
     */
    Match add(float[] first, float[] second) {
        boolean chat = second != null;
        byte[] q1 = new byte[DIM];
        byte[] q2 = new byte[DIM];
        float n1 = quantize(first, q1);
        float n2 = chat ? quantize(second, q2) : 0;
        int[] keys = keys(first);
        lookups++;
        int best = -1;
        double bestSim = 0;
        for (int t = 0; t < tables; t++) {
            for (int id = heads[(t << BITS) | keys[t]] - 1; id >= 0; id = next.getInt(((long) id * tables + t) * 4) - 1) {
                if (seen.getInt(id * 4L) == lookups || (chats.get(id) == 1) != chat) {
                    continue;
                }
                seen.putInt(id * 4L, lookups);
                double sim = cosine(q1, n1, id, 0);
                if (sim >= threshold && chat) {
                    sim = Math.min(sim, cosine(q2, n2, id, 1));
                }
                if (sim >= threshold && sim > bestSim) {
                    best = id;
                    bestSim = sim;
                }
            }
        }
        if (best >= 0) {
            return new Match(best, bestSim);
        }
        if (count < capacity) {
            remember(q1, n1, q2, n2, chat, keys);
        }
        return new Match(-1, 0);
    }

    private void remember(byte[] q1, float n1, byte[] q2, float n2, boolean chat, int[] keys) {
        if (count == slots) {
            long grown = Math.min(slots * 2, capacity);
            next = next.grown(grown * tables * 4);
            vectors = vectors.grown(grown * 2 * DIM);
            norms = norms.grown(grown * 2 * 4);
            chats = chats.grown(grown);
            seen = seen.grown(grown * 4);
            slots = grown;
        }
        long off = (long) count * 2 * DIM;
        for (int i = 0; i < DIM; i++) {
            vectors.put(off + i, q1[i]);
            vectors.put(off + DIM + i, q2[i]);
        }
        norms.putInt(count * 8L, Float.floatToIntBits(n1));
        norms.putInt(count * 8L + 4, Float.floatToIntBits(n2));
        chats.put(count, (byte) (chat ? 1 : 0));
        for (int t = 0; t < tables; t++) {
            int slot = (t << BITS) | keys[t];
            next.putInt(((long) count * tables + t) * 4, heads[slot]);
            heads[slot] = count + 1;
        }
        count++;
    }

    /** Frees the off-heap arrays. */
    @Override
    public void close() {
        next.close();
        vectors.close();
        norms.close();
        chats.close();
        seen.close();
    }

    /** Table keys of {@code v} [DIM]: for table t, bit b is the sign of v · planes[t * BITS + b]. */
    private int[] keys(float[] v) {
        int[] keys = new int[tables];
        for (int t = 0; t < tables; t++) {
            int key = 0;
            for (int b = 0; b < BITS; b++) {
                int row = (t * BITS + b) * DIM;
                float dot = 0;
                for (int i = 0; i < DIM; i++) {
                    dot += planes[row + i] * v[i];
                }
                key = (key << 1) | (dot >= 0 ? 1 : 0);
            }
            keys[t] = key;
        }
        return keys;
    }

    /** Scales {@code v} [DIM] so its largest component is ±127, rounds into {@code out} [DIM]; returns |out|. */
    static float quantize(float[] v, byte[] out) {
        if (v.length != DIM) {
            throw new IllegalArgumentException("expected a " + DIM + "-dimensional embedding, got " + v.length);
        }
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        float scale = max == 0 ? 0 : 127 / max;
        long sq = 0;
        for (int i = 0; i < DIM; i++) {
            int q = Math.round(v[i] * scale);
            out[i] = (byte) q;
            sq += q * q;
        }
        return (float) Math.sqrt(sq);
    }

    /** Cosine of quantized {@code q} (norm {@code n}) and vector {@code side} (0 or 1) of entry {@code id}. */
    private double cosine(byte[] q, float n, int id, int side) {
        long off = ((long) id * 2 + side) * DIM;
        int dot = 0;
        for (int i = 0; i < DIM; i++) {
            dot += q[i] * vectors.get(off + i);
        }
        float other = Float.intBitsToFloat(norms.getInt(((long) id * 2 + side) * 4));
        return n == 0 || other == 0 ? 0 : dot / ((double) n * other);
    }

    /**
     * Unit-length all-MiniLM-L6-v2 embeddings [texts.size()][DIM] of non-blank {@code texts} (each read up to
     * its first 128 word pieces). Several texts are embedded in parallel on the model's own threads. Also what the
     * profile's relevance to a use case is measured with ({@code profile.Relevance}).
     */
    public static List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        return Model.INSTANCE.embedAll(segments).content().stream().map(Embedding::vector).toList();
    }

    /** The model, loaded from the jar when first used (class initialization: once, thread-safe). */
    private static final class Model {
        static final EmbeddingModel INSTANCE = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }
}
