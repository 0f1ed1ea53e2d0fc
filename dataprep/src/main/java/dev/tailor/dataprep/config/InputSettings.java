package dev.tailor.dataprep.config;

/**
 * How input files are read.
 *
 * @param maxLineBytes a longer input line is dropped unread (at least 1024)
 * @param csvDelimiter CSV delimiter, one character; null = detect (comma, tab, semicolon, pipe)
 * @param repairMojibake repair UTF-8 decoded as Latin-1/windows-1252 when safe
 * @param removeActiveContent remove active content from every text, with its contents: script, style, iframe, object
 *     and embed elements, event-handler attributes (onclick…) and javascript: URLs (counted as active-content-removed)
 */
public record InputSettings(int maxLineBytes, String csvDelimiter, boolean repairMojibake, boolean removeActiveContent) {
    public InputSettings {
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + maxLineBytes);
        }
        if (csvDelimiter != null && csvDelimiter.length() != 1) {
            throw new IllegalArgumentException("csvDelimiter must be one character such as \";\" or \"\\t\" (or null to"
                    + " detect it), got '" + csvDelimiter + "'");
        }
    }

    public static InputSettings defaults() {
        return new InputSettings(8 * 1024 * 1024, null, true, true);
    }
}
