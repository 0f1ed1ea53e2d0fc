package dev.tailor.dataprep.example;

/**
 * One record from a source: either an example, or a rejection naming the rule and the reason.
 *
 * @param snippet the raw text of a rejected record (clipped in the report), may be null
 * @param encodingRepaired the record's bytes were not UTF-8 and were decoded as windows-1252
 */
public record ParseResult(Example example, SourceRef source, String rule, String reason, String snippet, boolean encodingRepaired) {
    public static ParseResult ok(Example e, boolean encodingRepaired) {
        return new ParseResult(e, e.source(), null, null, null, encodingRepaired);
    }

    public static ParseResult rejected(SourceRef src, String rule, String reason, String snippet) {
        return new ParseResult(null, src, rule, reason, snippet, false);
    }

    public boolean isOk() {
        return example != null;
    }
}
