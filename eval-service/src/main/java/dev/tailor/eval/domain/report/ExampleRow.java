package dev.tailor.eval.domain.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;

/**
 * One test example with both answers.
 *
 * @param id          its id in the test set (line number)
 * @param sourceKind  the kind of source it came from
 * @param sourceFile  the source file, when known
 * @param metadata    its metadata fields
 * @param turns       user turns up to the scored answer
 * @param question    the last user turn
 * @param reference   the reference answer
 * @param baseAnswer  the baseline's answer ("" when none was generated)
 * @param tunedAnswer the tuned model's answer
 * @param base        the baseline's metric values (metric key → value)
 * @param tuned       the tuned model's metric values
 * @param baseFinish  why the baseline's answer ended ({@code stop} or {@code length}), null when none
 * @param tunedFinish why the tuned answer ended
 * @param tunedLeaked chat-format markers in the tuned answer
 * @param judgePreference how much the judge preferred the tuned answer (0–1), null when not judged
 * @param judgeRationale  the judge's replies in both orders, null when not judged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExampleRow(String id, String sourceKind, String sourceFile, Map<String, String> metadata, int turns,
                         String question, String reference, String baseAnswer, String tunedAnswer,
                         Map<String, Double> base, Map<String, Double> tuned, String baseFinish, String tunedFinish,
                         List<String> tunedLeaked, Double judgePreference, List<String> judgeRationale) {
    public ExampleRow {
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        base = base == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(base));
        tuned = tuned == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tuned));
        tunedLeaked = tunedLeaked == null ? List.of() : List.copyOf(tunedLeaked);
    }
}
