package dev.tailor.cleaning.domain;

/**
 * One record from a source: either an example, or a rejection naming the rule and the reason.
 *
 * @param snippet the raw text of a rejected record (clipped in the report), may be null
 * @param encodingRepaired the record's bytes were not UTF-8 and were decoded as windows-1252
 */
public record Parsed(Example example, SourceRef source, String rule, String reason, String snippet, boolean encodingRepaired) {
    public static Parsed ok(Example e, boolean encodingRepaired) {
        return new Parsed(e, e.source(), null, null, null, encodingRepaired);
    }

    public static Parsed rejected(SourceRef src, String rule, String reason, String snippet) {
        return new Parsed(null, src, rule, reason, snippet, false);
    }

    public boolean isOk() {
        return example != null;
    }
}
