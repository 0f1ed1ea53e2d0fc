package dev.tailor.eval.domain.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tailor.eval.domain.stats.PairedComparison;

/**
 * The LLM judge's pairwise comparison of tuned vs baseline answers.
 *
 * @param model          the judge model
 * @param url            the endpoint it was asked at
 * @param asked          examples judged (each in both orders)
 * @param usable         examples with a verdict in at least one order
 * @param positionBiased examples whose verdict followed the position, not the answer (same letter in both orders)
 * @param winRate        the tuned model's win rate (ties half) against ½, over the usable examples; null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JudgeSummary(String model, String url, int asked, int usable, int positionBiased,
                           PairedComparison winRate) {
    public JudgeSummary {
        if (usable < 0 || usable > asked || positionBiased < 0 || positionBiased > asked) {
            throw new IllegalArgumentException("judge counts must lie in 0.." + asked);
        }
    }
}
