package dev.tailor.dataprep.config;

/**
 * Documents (office files, PDF, HTML) and e-mail messages.
 *
 * @param maxDocumentBytes largest e-mail message or HTML document read whole, and the most characters of text
 *     taken from one office document or PDF (the rest is cut and reported as document-truncated); at least 1024
 * @param textChunkChars target size of a document chunk for {@code {"text"}} examples (at least 100)
 * @param removeBoilerplate remove page furniture from documents: navigation bars, menus, link lists and in-page
 *     tables of contents of HTML pages; running headers, footers and page numbers repeated across the pages of a PDF;
 *     table-of-contents pages and lines (dot leaders and a page number); each removal is counted
 *     ({@code boilerplate.*}); HTML code blocks are fenced and table rows kept as {@code | a | b |} lines
 * @param questionsFromStructure a question (→ answer pair) only from real question structure: a heading, a definition
 *     term or a one-line paragraph ending in '?' with at least two words and no '?' glued to a word, or a numbered FAQ
 *     heading at the start of a paragraph ("6.3 What about sid?"); never a table row, an option ("-?") or a synopsis.
 *     Off: any one-line paragraph ending in '?'
 */
public record DocumentSettings(int maxDocumentBytes, int textChunkChars, boolean removeBoilerplate, boolean questionsFromStructure) {
    public DocumentSettings {
        if (maxDocumentBytes < 1024) {
            throw new IllegalArgumentException("maxDocumentBytes must be at least 1024, got " + maxDocumentBytes);
        }
        if (textChunkChars < 100) {
            throw new IllegalArgumentException("textChunkChars must be at least 100, got " + textChunkChars);
        }
    }

    public static DocumentSettings defaults() {
        return new DocumentSettings(32 * 1024 * 1024, 2_000, true, true);
    }
}
