package dev.tailor.eval.domain.advice;

/**
 * Test examples that near-duplicate training examples (from the cleaning report).
 *
 * @param testExamples        test examples checked
 * @param nearDuplicates      of those, how many near-duplicate a training example
 * @param similarityThreshold the similarity at or above which two examples count as near-duplicates
 */
public record Leakage(int testExamples, int nearDuplicates, double similarityThreshold) {

    public Leakage {
        if (testExamples < 0 || nearDuplicates < 0 || nearDuplicates > testExamples) {
            throw new IllegalArgumentException("near-duplicates must lie in 0.." + testExamples + ", got "
                    + nearDuplicates);
        }
        if (!(similarityThreshold > 0 && similarityThreshold <= 1)) {
            throw new IllegalArgumentException("similarity threshold must be in (0, 1], got " + similarityThreshold);
        }
    }

    /** Share of test examples that leak, in [0, 1]. */
    public double share() {
        return testExamples == 0 ? 0 : (double) nearDuplicates / testExamples;
    }
}
