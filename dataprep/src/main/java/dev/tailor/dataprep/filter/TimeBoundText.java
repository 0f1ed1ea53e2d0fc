package dev.tailor.dataprep.filter;

import dev.tailor.dataprep.example.RecordRejected;
import java.time.Duration;

/**
 * Text a user-supplied regex runs on, with a deadline checked as the matcher reads it: a catastrophic pattern
 * (nested quantifiers backtracking for hours on one record) rejects that record with the pattern's name once the
 * time is up, instead of stalling the dataset. {@link java.util.regex.Matcher} reads only through {@link #charAt}.
 */
final class TimeBoundText implements CharSequence {
    /** How long one user pattern may run on one record's text. */
    static final Duration LIMIT = Duration.ofMillis(500);
    /** Rule name of a record rejected because a user pattern ran out of time. */
    static final String RULE = "pii-pattern-timeout";
    private static final int CHECK_EVERY = 4096;

    private final CharSequence text;
    private final long deadline;
    private final String pattern;
    private int reads;

    TimeBoundText(CharSequence text, long deadlineNanos, String pattern) {
        this.text = text;
        this.deadline = deadlineNanos;
        this.pattern = pattern;
    }

    static TimeBoundText of(CharSequence text, String pattern) {
        return new TimeBoundText(text, System.nanoTime() + LIMIT.toNanos(), pattern);
    }

    @Override
    public char charAt(int index) {
        if (++reads >= CHECK_EVERY) {
            reads = 0;
            if (System.nanoTime() - deadline > 0) {
                throw new RecordRejected(RULE, "the piiPatterns." + pattern + " pattern ran longer than "
                        + LIMIT.toMillis() + " ms on this record (catastrophic backtracking?); the record is skipped."
                        + " Simplify the pattern, e.g. avoid nested quantifiers such as (a+)+");
            }
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new TimeBoundText(text.subSequence(start, end), deadline, pattern);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
