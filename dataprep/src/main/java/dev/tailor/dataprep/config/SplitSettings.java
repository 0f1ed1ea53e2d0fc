package dev.tailor.dataprep.config;

/**
 * How kept examples are split into train.jsonl, validation.jsonl and test.jsonl.
 *
 * @param trainRatio share of examples in train.jsonl (0..1); the three ratios sum to 1
 * @param validationRatio share in validation.jsonl
 * @param testRatio share in test.jsonl
 * @param carryOverSplits an example that equals or near-duplicates an example of the previous version of the
 *     dataset keeps that example's split (no test example of one version is trained on in the next)
 */
public record SplitSettings(double trainRatio, double validationRatio, double testRatio, boolean carryOverSplits) {
    public SplitSettings {
        for (double r : new double[] {trainRatio, validationRatio, testRatio}) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("split ratios must be between 0 and 1, got trainRatio=" + trainRatio
                        + " validationRatio=" + validationRatio + " testRatio=" + testRatio);
            }
        }
        if (Math.abs(trainRatio + validationRatio + testRatio - 1.0) > 1e-6) {
            throw new IllegalArgumentException("split ratios trainRatio + validationRatio + testRatio must sum to 1, got "
                    + (trainRatio + validationRatio + testRatio));
        }
    }

    public static SplitSettings defaults() {
        return new SplitSettings(0.8, 0.1, 0.1, true);
    }
}
