package dev.tailor.cli.model;

import java.util.Arrays;

/** Parsing and printing of token id lists for the model commands. */
final class Ids {

    private Ids() {
    }

    /** "1,75,104" → {1, 75, 104}. */
    static int[] parse(String csv) {
        try {
            int[] ids = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            if (ids.length == 0) {
                throw new IllegalArgumentException("--ids needs at least one token id, e.g. --ids 1,75,104");
            }
            return ids;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ids must be comma-separated integers, e.g. --ids 1,75,104; got '"
                    + csv + "'");
        }
    }

    static String json(int[] ids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(ids[i]);
        }
        return sb.append(']').toString();
    }
}
