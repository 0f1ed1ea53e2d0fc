package dev.tailor.eval.domain.gate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which statistic of a gain a gate condition compares with its threshold. */
public enum Bound {
    /** The mean gain over the test examples. */
    MEAN("mean"),
    /** The lower end of the gain's confidence interval: the gain the data supports at the required confidence. */
    LOWER_BOUND("lower_bound");

    private final String key;

    Bound(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    @JsonCreator
    public static Bound of(String key) {
        String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Bound b : values()) {
            if (b.key.equals(k)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown bound '" + key + "'; use 'mean' or 'lower_bound'");
    }
}
