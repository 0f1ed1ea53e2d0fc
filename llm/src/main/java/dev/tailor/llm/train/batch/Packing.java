package dev.tailor.llm.train.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Packs short examples end to end into rows of at most maxLength tokens (first-fit in a seeded
 * random order), so batches carry little padding. Masks travel with their tokens; attention is not
 * reset between packed examples (the usual simple packing).
 */
public final class Packing {
    private Packing() {
    }

    public static List<TokenizedExample> pack(List<TokenizedExample> examples, int maxLength, long seed) {
        int[] order = BatchPlan.permutation(examples.size(), new Random(seed ^ 0x5DEECE66DL));
        List<List<TokenizedExample>> rows = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (int idx : order) {
            TokenizedExample e = examples.get(idx);
            int row = -1;
            for (int r = 0; r < rows.size(); r++) {
                if (lengths.get(r) + e.length() <= maxLength) {
                    row = r;
                    break;
                }
            }
            if (row < 0) {
                rows.add(new ArrayList<>());
                lengths.add(0);
                row = rows.size() - 1;
            }
            rows.get(row).add(e);
            lengths.set(row, lengths.get(row) + e.length());
        }
        List<TokenizedExample> packed = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            int[] ids = new int[lengths.get(r)];
            boolean[] mask = new boolean[ids.length];
            int pos = 0;
            for (TokenizedExample e : rows.get(r)) {
                System.arraycopy(e.ids(), 0, ids, pos, e.length());
                System.arraycopy(e.lossMask(), 0, mask, pos, e.length());
                pos += e.length();
            }
            packed.add(new TokenizedExample(ids, mask));
        }
        return packed;
    }
}
