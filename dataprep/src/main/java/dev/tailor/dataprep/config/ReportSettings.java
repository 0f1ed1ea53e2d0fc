package dev.tailor.dataprep.config;

/**
 * What report.json lists.
 *
 * @param samplesPerRule examples kept per rule in the report
 * @param maxDroppedListed dropped records listed one by one in the report; the rest are only counted
 */
public record ReportSettings(int samplesPerRule, int maxDroppedListed) {
    public ReportSettings {
        if (samplesPerRule < 0 || maxDroppedListed < 0) {
            throw new IllegalArgumentException("samplesPerRule and maxDroppedListed must be >= 0, got " + samplesPerRule
                    + " and " + maxDroppedListed);
        }
    }

    public static ReportSettings defaults() {
        return new ReportSettings(5, 100_000);
    }
}
