package dev.tailor.dataprep.config;

/**
 * Near-duplicate removal (exact duplicates are always removed).
 *
 * @param nearDuplicates drop near-duplicates (MinHash + LSH) within the dataset
 * @param nearDuplicateThreshold estimated Jaccard similarity of word 3-gram sets at or above which two examples are
 *     near-duplicates, in (0, 1]
 * @param nearDuplicateIndexSize kept examples remembered for near-duplicate search (about 200 bytes each, in a
 *     memory-mapped temporary file, not on the heap); later examples are still checked against them but not added,
 *     which bounds the disk used on huge inputs
 * @param semanticDuplicates also drop examples whose sentence embedding (all-MiniLM-L6-v2, local) is near an earlier
 *     example's: catches paraphrases that share few word 3-grams
 * @param semanticDuplicateThreshold cosine similarity of embeddings at or above which two examples are duplicates,
 *     in (0, 1]
 */
public record DedupSettings(boolean nearDuplicates, double nearDuplicateThreshold, int nearDuplicateIndexSize,
                            boolean semanticDuplicates, double semanticDuplicateThreshold) {
    public DedupSettings {
        if (!(nearDuplicateThreshold > 0 && nearDuplicateThreshold <= 1)) {
            throw new IllegalArgumentException("nearDuplicateThreshold must be in (0, 1], got " + nearDuplicateThreshold);
        }
        if (!(semanticDuplicateThreshold > 0 && semanticDuplicateThreshold <= 1)) {
            throw new IllegalArgumentException("semanticDuplicateThreshold must be in (0, 1], got " + semanticDuplicateThreshold);
        }
        if (nearDuplicateIndexSize < 0) {
            throw new IllegalArgumentException("nearDuplicateIndexSize must be >= 0, got " + nearDuplicateIndexSize);
        }
    }

    public static DedupSettings defaults() {
        return new DedupSettings(true, 0.85, 50_000_000, false, 0.85);
    }
}
