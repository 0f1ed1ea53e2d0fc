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
 * output is scattered back to their rows (rows without adapter get nothing added). Built per step, in the step's
 * manager.
 */
final class RowDeltas implements ProjectionDelta {

    private final List<ProjectionDelta> deltas = new ArrayList<>();
    private final List<NDIndex> rows = new ArrayList<>();

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
            out.rows.add(new NDIndex("{}", m.create(idx.stream().mapToLong(Integer::longValue).toArray())));
        });
        return out;
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
