package dev.tailor.eval.domain.format;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Format checks of one model's answers taken together.
 *
 * @param answers       number of answers checked
 * @param hitMaxTokens  answers that ended at the max-token budget
 * @param leaked        answers with at least one chat-format marker
 * @param markerCounts  for each marker, the number of answers containing it (most frequent first)
 */
public record FormatSummary(int answers, int hitMaxTokens, int leaked, Map<String, Integer> markerCounts) {

    public FormatSummary {
        if (answers < 0 || hitMaxTokens < 0 || leaked < 0 || hitMaxTokens > answers || leaked > answers) {
            throw new IllegalArgumentException("format counts must lie in 0.." + answers + ", got hitMaxTokens="
                    + hitMaxTokens + ", leaked=" + leaked);
        }
        markerCounts = markerCounts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(markerCounts));
    }

    public static FormatSummary of(Collection<FormatCheck> checks) {
        int length = 0;
        int leaked = 0;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (FormatCheck c : checks) {
            if (c.hitMaxTokens()) {
                length++;
            }
            if (!c.keepsChatFormat()) {
                leaked++;
            }
            for (String m : c.leakedMarkers()) {
                counts.merge(m, 1, Integer::sum);
            }
        }
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new FormatSummary(checks.size(), length, leaked, sorted);
    }

    /** Share of answers that hit max tokens, in [0, 1] (0 when there are no answers). */
    public double hitMaxTokensShare() {
        return answers == 0 ? 0 : (double) hitMaxTokens / answers;
    }

    /** Share of answers with a leaked chat-format marker, in [0, 1]. */
    public double leakedShare() {
        return answers == 0 ? 0 : (double) leaked / answers;
    }
}
