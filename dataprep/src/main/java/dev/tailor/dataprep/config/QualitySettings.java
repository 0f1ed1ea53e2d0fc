package dev.tailor.dataprep.config;

/**
 * Quality filters on each example.
 *
 * @param minChars minimum characters of the answer (or text) to keep an example
 * @param maxChars maximum characters of an example's text
 * @param maxRepetition maximum share of repeated word 3-grams in an example's text (0..1)
 * @param maxSymbolRatio maximum share of characters that are neither letters, digits nor whitespace (0..1)
 * @param detectSwappedRoles drop examples whose answer is a short question and whose question is not one (those
 *     that repairSwappedRoles cannot put back)
 * @param repairSwappedRoles put a swapped question and answer back (one exchange: the "question" a statement, the
 *     "answer" a short question), counted as repaired.swapped-roles, instead of dropping it
 * @param collapseRepeats a field that is two or more exact copies of one block (an export bug) becomes one copy,
 *     counted as repaired.repeated-content
 * @param incompleteAnswers what to do with an answer cut off (a truncation mark, or prose ending mid-sentence or
 *     mid-word): {@code drop} (rule truncated), {@code trim} (to its last complete sentence when at least half remains,
 *     else drop), {@code flag} (keep it, flagged "truncated") or {@code keep}
 */
public record QualitySettings(int minChars, int maxChars, double maxRepetition, double maxSymbolRatio,
                              boolean detectSwappedRoles, boolean repairSwappedRoles, boolean collapseRepeats,
                              String incompleteAnswers) {
    public QualitySettings {
        incompleteAnswers = incompleteAnswers == null ? "drop" : incompleteAnswers.strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("drop", "trim", "flag", "keep").contains(incompleteAnswers)) {
            throw new IllegalArgumentException("incompleteAnswers must be drop, trim, flag or keep, got '" + incompleteAnswers + "'");
        }
        if (minChars < 0 || maxChars < minChars) {
            throw new IllegalArgumentException("need 0 <= minChars <= maxChars, got minChars=" + minChars + " maxChars=" + maxChars);
        }
        if (!(maxRepetition >= 0 && maxRepetition <= 1) || !(maxSymbolRatio >= 0 && maxSymbolRatio <= 1)) {
            throw new IllegalArgumentException("maxRepetition and maxSymbolRatio must be between 0 and 1, got "
                    + maxRepetition + " and " + maxSymbolRatio);
        }
    }

    public static QualitySettings defaults() {
        return new QualitySettings(2, 32_000, 0.5, 0.5, true, true, true, "drop");
    }
}
