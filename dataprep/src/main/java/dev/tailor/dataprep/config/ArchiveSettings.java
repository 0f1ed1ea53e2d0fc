package dev.tailor.dataprep.config;

/**
 * Guards for archives (zip, tar.gz, .gz), counted over every archive of a run.
 *
 * @param maxArchiveDepth archives inside archives deeper than this are refused
 * @param maxArchiveBytes bytes all archives of a run may expand to (archive-bomb guard); also the largest Parquet file
 * @param maxArchiveEntries entries all archives of a run may hold
 * @param maxArchiveRatio expanded/compressed ratio above which an archive is a bomb (checked past 64 MiB; at least 1)
 * @param skipNonText archive entries that are not text to learn from (stylesheets, scripts, images, fonts, audio,
 *     video, executables and other binaries: by name, or by content when the first bytes are binary) are skipped and
 *     counted ({@code archive.skipped-non-text}), not rejected
 */
public record ArchiveSettings(int maxArchiveDepth, long maxArchiveBytes, int maxArchiveEntries, double maxArchiveRatio,
                              boolean skipNonText) {
    public ArchiveSettings {
        if (maxArchiveDepth < 0 || maxArchiveBytes < 0 || maxArchiveEntries < 0 || !(maxArchiveRatio >= 1)) {
            throw new IllegalArgumentException("archive limits must be non-negative (maxArchiveRatio >= 1), got maxArchiveDepth="
                    + maxArchiveDepth + " maxArchiveBytes=" + maxArchiveBytes + " maxArchiveEntries=" + maxArchiveEntries
                    + " maxArchiveRatio=" + maxArchiveRatio);
        }
    }

    public static ArchiveSettings defaults() {
        return new ArchiveSettings(2, 8L * 1024 * 1024 * 1024, 100_000, 200, true);
    }
}
