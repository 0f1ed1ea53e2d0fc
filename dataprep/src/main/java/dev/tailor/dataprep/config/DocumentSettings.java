package dev.tailor.dataprep.config;

/**
 * Documents (office files, PDF, HTML) and e-mail messages.
 *
 * @param maxDocumentBytes largest e-mail message or HTML document read whole, and the most characters of text
 *     taken from one office document or PDF (the rest is cut and reported as document-truncated); at least 1024
 * @param textChunkChars target size of a document chunk for {@code {"text"}} examples (at least 100)
 */
public record DocumentSettings(int maxDocumentBytes, int textChunkChars) {
    public DocumentSettings {
        if (maxDocumentBytes < 1024) {
            throw new IllegalArgumentException("maxDocumentBytes must be at least 1024, got " + maxDocumentBytes);
        }
        if (textChunkChars < 100) {
            throw new IllegalArgumentException("textChunkChars must be at least 100, got " + textChunkChars);
        }
    }

    public static DocumentSettings defaults() {
        return new DocumentSettings(32 * 1024 * 1024, 2_000);
    }
}
