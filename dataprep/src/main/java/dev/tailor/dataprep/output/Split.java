package dev.tailor.dataprep.output;

import dev.tailor.dataprep.config.SplitSettings;

/** The three output splits, in file order. */
public enum Split {
    TRAIN("train"), VALIDATION("validation"), TEST("test");

    private final String id;

    Split(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public String fileName() {
        return id + ".jsonl";
    }

    /**
     * The split of an example whose content hash maps to {@code u} in [0, 1): train below
     * trainRatio, validation below trainRatio + validationRatio, test above.
     */
    public static Split of(double u, SplitSettings c) {
        if (u < c.trainRatio()) {
            return TRAIN;
        }
        return u < c.trainRatio() + c.validationRatio() ? VALIDATION : TEST;
    }
}
