package dev.tailor.dataprep.example;

/**
 * Where sources and rules report what they removed or changed without dropping a record (boilerplate removed, an
 * archive entry skipped, e-mail quotes removed from a field, a glossary term read): a count per rule and a sample; the
 * pipeline puts them in the report.
 */
@FunctionalInterface
public interface Notes {
    /** Notes nothing. */
    Notes NONE = (rule, file, reason, snippet) -> { };

    /** One occurrence of {@code rule} in {@code file}, with why and the text concerned (may be null). */
    void note(String rule, String file, String reason, String snippet);
}
