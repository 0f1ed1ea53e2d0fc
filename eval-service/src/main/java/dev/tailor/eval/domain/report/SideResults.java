package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.format.FormatCheck;
import dev.tailor.eval.domain.metrics.MetricValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one model produced on the test cases, index by index.
 *
 * @param losses    mean answer-token loss per case (nats), NaN where the case had no answer token
 * @param tokens    answer tokens per case
 * @param answers   generated answer per case, null where none was generated
 */
public record SideResults(double[] losses, int[] tokens, List<Answer> answers) {

    public SideResults {
        if (losses.length != tokens.length || tokens.length != answers.size()) {
            throw new IllegalArgumentException("one loss, token count and answer slot per case");
        }
        losses = losses.clone();
        tokens = tokens.clone();
        answers = Collections.unmodifiableList(new ArrayList<>(answers)); // null slots allowed
    }

    /** A generated answer with its text metrics and format check. */
    public record Answer(String text, MetricValues values, FormatCheck format) {
        public Answer {
            if (text == null || values == null || format == null) {
                throw new IllegalArgumentException("an answer needs its text, values and format check");
            }
        }
    }

    /** Mean loss over all answer tokens of all cases (token-weighted), NaN without tokens. */
    public double tokenWeightedLoss() {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < losses.length; i++) {
            if (tokens[i] > 0) {
                sum += losses[i] * tokens[i];
                n += tokens[i];
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public int size() {
        return losses.length;
    }
}
