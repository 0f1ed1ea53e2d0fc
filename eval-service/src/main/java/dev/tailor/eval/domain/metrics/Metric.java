package dev.tailor.eval.domain.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The per-example metrics of an evaluation. Text metrics compare a generated answer with the reference answer and
 * lie in [0, 1] (chrF is sacreBLEU's score / 100; cosine in [-1, 1]); answer loss is the mean answer-token
 * cross-entropy in nats, where lower is better.
 */
public enum Metric {
    EXACT_MATCH("exact_match", "exact match", true, true),
    TOKEN_F1("token_f1", "token F1", true, false),
    ROUGE_L("rouge_l", "ROUGE-L", true, false),
    CHRF("chrf", "chrF", true, false),
    EMBEDDING_COSINE("embedding_cosine", "embedding cosine", true, false),
    ANSWER_LOSS("answer_loss", "answer loss", false, false);

    private final String key;
    private final String label;
    private final boolean higherIsBetter;
    private final boolean binary;

    Metric(String key, String label, boolean higherIsBetter, boolean binary) {
        this.key = key;
        this.label = label;
        this.higherIsBetter = higherIsBetter;
        this.binary = binary;
    }

    /** The name in JSON and settings, e.g. {@code rouge_l}. */
    @JsonValue
    public String key() {
        return key;
    }

    /** The name for people, e.g. {@code ROUGE-L}. */
    public String label() {
        return label;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether every value is 0 or 1 (then McNemar's test applies). */
    public boolean binary() {
        return binary;
    }

    /** The metric named {@code key} (case-insensitive; {@code rouge-l} and {@code ROUGE_L} also work). */
    @JsonCreator
    public static Metric of(String key) {
        String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (Metric m : values()) {
            if (m.key.equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'; use one of "
                + Arrays.stream(values()).map(Metric::key).collect(Collectors.joining(", ")));
    }
}
