package dev.tailor.dataprep.output;

import java.nio.file.Path;

/** What a finished cleaning run wrote into {@code dir}: the three splits and report.json. */
public record CleaningResult(Path dir, long read, long kept, long dropped, long train, long validation, long test) {
    public Path split(Split s) {
        return dir.resolve(s.fileName());
    }

    public Path report() {
        return dir.resolve(CleaningReport.FILE);
    }
}
