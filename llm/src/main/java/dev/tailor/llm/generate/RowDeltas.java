package dev.tailor.llm.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.model.ProjectionDelta;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-row deltas of one decoding step: rows using the same adapter are gathered, the adapter runs on them, and its
 * output is scattered back to their rows (rows without adapter get nothing added). Rows of an adapter with its own
 * vocabulary take their embeddings and logits from its tables, the others from the base's; logits of a row whose
 * vocabulary is smaller than the widest are padded with -inf (the decoder cuts each row to its own width). Built per
 * step, in the step's manager.
 */
final class RowDeltas implements ProjectionDelta {

    private final List<ProjectionDelta> deltas = new ArrayList<>();
    private final List<NDIndex> rows = new ArrayList<>();
    private final List<ProjectionDelta> owners = new ArrayList<>(); // deltas with their own vocabulary
    private final List<NDIndex> ownerRows = new ArrayList<>();
    private NDIndex plainRows;                                        // rows on the base's tables, or null

    private RowDeltas() {
    }

    /** The delta of rows {@code [0, perRow.size())}: the shared one when every row has the same (or none). */
    static ProjectionDelta of(List<ProjectionDelta> perRow, NDManager m) {
        ProjectionDelta first = perRow.get(0);
        if (perRow.stream().allMatch(d -> d == first)) {
            return first;
        }
        Map<ProjectionDelta, List<Integer>> groups = new IdentityHashMap<>();
        for (int i = 0; i < perRow.size(); i++) {
            if (perRow.get(i) != null) {
                groups.computeIfAbsent(perRow.get(i), d -> new ArrayList<>()).add(i);
            }
        }
        RowDeltas out = new RowDeltas();
        groups.forEach((delta, idx) -> {
            out.deltas.add(delta);
            out.rows.add(index(idx, m));
            if (delta.ownsVocabulary()) {
                out.owners.add(delta);
                out.ownerRows.add(index(idx, m));
            }
        });
        if (!out.owners.isEmpty()) {
            List<Integer> plain = new ArrayList<>();
            for (int i = 0; i < perRow.size(); i++) {
                if (perRow.get(i) == null || !perRow.get(i).ownsVocabulary()) {
                    plain.add(i);
                }
            }
            out.plainRows = plain.isEmpty() ? null : index(plain, m);
        }
        return out;
    }

    private static NDIndex index(List<Integer> idx, NDManager m) {
        return new NDIndex("{}", m.create(idx.stream().mapToLong(Integer::longValue).toArray()));
    }

    /** ids (n, 1) → (n, 1, H), each row from its own vocabulary's table. */
    @Override
    public NDArray embed(NDArray ids, NDArray table) {
        if (owners.isEmpty()) {
            return ProjectionDelta.super.embed(ids, table);
        }
        NDArray out = null;
        for (int g = -1; g < owners.size(); g++) {
            NDIndex idx = g < 0 ? plainRows : ownerRows.get(g);
            if (idx == null) {
                continue;
            }
            NDArray part = g < 0 ? ProjectionDelta.super.embed(ids.get(idx), table)
                    : owners.get(g).embed(ids.get(idx), table);                                // (rows_g, 1, H)
            if (out == null) {
                out = ids.getManager().zeros(new ai.djl.ndarray.types.Shape(ids.getShape().get(0), 1,
                        part.getShape().get(2)), part.getDataType());
            }
            out.set(idx, part);
        }
        return out;
    }

    /** hidden (n, 1, H) → logits (n, 1, V'max), each row through its own vocabulary's output layer. */
    @Override
    public NDArray head(NDArray hidden, NDArray lmHead) {
        if (owners.isEmpty()) {
            return ProjectionDelta.super.head(hidden, lmHead);
        }
        int base = Math.toIntExact(lmHead.getShape().get(0));
        int width = vocabSize(base);
        NDManager m = hidden.getManager();
        NDArray out = null;
        for (int g = -1; g < owners.size(); g++) {
            NDIndex idx = g < 0 ? plainRows : ownerRows.get(g);
            if (idx == null) {
                continue;
            }
            NDArray h = hidden.get(idx);                                                      // (rows_g, 1, H)
            NDArray part = g < 0 ? ProjectionDelta.super.head(h, lmHead) : owners.get(g).head(h, lmHead);
            long k = part.getShape().get(0);
            long v = part.getShape().get(2);
            if (v < width) {                                                                 // (rows_g, 1, V'max)
                part = part.concat(m.full(new ai.djl.ndarray.types.Shape(k, 1, width - v), Float.NEGATIVE_INFINITY,
                        part.getDataType()), 2);
            }
            if (out == null) {
                out = m.zeros(new ai.djl.ndarray.types.Shape(hidden.getShape().get(0), 1, width), part.getDataType());
            }
            out.set(idx, part);
        }
        return out;
    }

    @Override
    public boolean ownsVocabulary() {
        return !owners.isEmpty();
    }

    /** The widest vocabulary of the rows. */
    @Override
    public int vocabSize(int baseVocab) {
        int v = baseVocab;
        for (ProjectionDelta d : owners) {
            v = Math.max(v, d.vocabSize(baseVocab));
        }
        return v;
    }

    /** x: (n, 1, in) → (n, 1, out), or null when no row's adapter touches this projection. */
    @Override
    public NDArray apply(int layer, Projection projection, NDArray x, boolean training) {
        NDArray out = null;
        for (int g = 0; g < deltas.size(); g++) {
            NDArray part = deltas.get(g).apply(layer, projection, x.get(rows.get(g)), training); // (rows_g, 1, out)
            if (part == null) {
                continue;
            }
            if (out == null) {
                long[] shape = part.getShape().getShape().clone();
                shape[0] = x.getShape().get(0);
                out = x.getManager().zeros(new ai.djl.ndarray.types.Shape(shape), part.getDataType());
            }
            out.set(rows.get(g), part);
        }
        return out;
    }
}
