package dev.tailor.dataprep.config;

/**
 * What report.json and profile.json list.
 *
 * @param samplesPerRule examples kept per rule in the report
 * @param maxDroppedListed dropped records listed one by one in the report; the rest are only counted
 * @param useCase what the model is for, in a sentence (e.g. "support for our PostgreSQL hosting product"): the profile
 *                estimates each example's relevance to it; null or blank for none
 * @param relevanceThreshold cosine similarity to the use case below which the profile counts an example as off-topic
 */
public record ReportSettings(int samplesPerRule, int maxDroppedListed, String useCase, double relevanceThreshold) {
    /** all-MiniLM-L6-v2 similarities of on-topic examples to a one-line use case mostly lie above this. */
    public static final double DEFAULT_RELEVANCE_THRESHOLD = 0.2;

    public ReportSettings {
        if (samplesPerRule < 0 || maxDroppedListed < 0) {
            throw new IllegalArgumentException("samplesPerRule and maxDroppedListed must be >= 0, got " + samplesPerRule
                    + " and " + maxDroppedListed);
        }
        if (!(relevanceThreshold > -1 && relevanceThreshold < 1)) {
            throw new IllegalArgumentException("relevanceThreshold must lie between -1 and 1 (a cosine similarity), got "
                    + relevanceThreshold);
        }
        useCase = useCase == null || useCase.isBlank() ? null : useCase.strip();
    }

    public static ReportSettings defaults() {
        return new ReportSettings(5, 100_000, null, DEFAULT_RELEVANCE_THRESHOLD);
    }
}
