package dev.tailor.dataprep.config;

/**
 * Quality filters on each example.
 *
 * @param minChars minimum characters of the answer (or text) to keep an example
 * @param maxChars maximum characters of an example's text
 * @param maxRepetition maximum share of repeated word 3-grams in an example's text (0..1)
 * @param maxSymbolRatio maximum share of characters that are neither letters, digits nor whitespace (0..1)
 * @param detectSwappedRoles drop examples whose answer is a short question and whose question is not one
 */
public record QualitySettings(int minChars, int maxChars, double maxRepetition, double maxSymbolRatio,
                              boolean detectSwappedRoles) {
    public QualitySettings {
        if (minChars < 0 || maxChars < minChars) {
            throw new IllegalArgumentException("need 0 <= minChars <= maxChars, got minChars=" + minChars + " maxChars=" + maxChars);
        }
        if (!(maxRepetition >= 0 && maxRepetition <= 1) || !(maxSymbolRatio >= 0 && maxSymbolRatio <= 1)) {
            throw new IllegalArgumentException("maxRepetition and maxSymbolRatio must be between 0 and 1, got "
                    + maxRepetition + " and " + maxSymbolRatio);
        }
    }

    public static QualitySettings defaults() {
        return new QualitySettings(2, 32_000, 0.5, 0.5, true);
    }
}
