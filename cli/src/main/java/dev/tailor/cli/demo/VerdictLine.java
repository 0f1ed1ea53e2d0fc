package dev.tailor.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation's numbers in one line: each metric's gain (tuned − base, positive = better) with its confidence
 * interval, from {@code GET /v1/evaluations/{id}}.
 */
final class VerdictLine {
    private VerdictLine() {
    }

    /** E.g. {@code ROUGE-L +0.041 [+0.012, +0.071] · token F1 +0.020 [-0.004, +0.045] · …}; empty without metrics. */
    static String of(JsonNode evaluation) {
        List<String> parts = new ArrayList<>();
        for (JsonNode m : evaluation == null ? List.<JsonNode>of() : iterable(evaluation.path("metrics"))) {
            JsonNode c = m.path("comparison");
            String part = String.format(Locale.ROOT, "%s %+.3f [%+.3f, %+.3f]", m.path("label").asText(),
                    c.path("meanGain").asDouble(), c.at("/interval/lower").asDouble(),
                    c.at("/interval/upper").asDouble());
            parts.add(part);
        }
        return String.join(" · ", parts);
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
