package dev.tailor.cleaning.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * PDF documents: text extracted with Apache PDFBox in reading order, paragraphs separated, then
 * {@link TextSource} (chunks, question → answer pairs). The document is read whole, at most
 * {@code maxDocumentBytes}; encrypted or broken files are rejected with a reason.
 */
public final class PdfSource {
    private PdfSource() {
    }

    public static Iterator<Parsed> open(InputStream in, String file, CleaningConfig config) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(config.maxDocumentBytes() + 1);
        } catch (IOException e) {
            return Sources.one(file, "malformed-document", "cannot read the PDF: " + e.getMessage());
        }
        if (bytes.length > config.maxDocumentBytes()) {
            return Sources.one(file, "document-too-large", "PDF is larger than maxDocumentBytes=" + config.maxDocumentBytes());
        }
        String text;
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setParagraphEnd("\n\n");
            text = stripper.getText(doc);
        } catch (IOException e) {
            return Sources.one(file, "malformed-document", "cannot extract text from the PDF (" + e.getMessage()
                    + "); if it is encrypted or scanned, export its text first");
        }
        if (text.isBlank()) {
            return Sources.one(file, "empty-file", "the PDF has no extractable text (scanned pages need OCR first)");
        }
        return new TextSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file,
                config.textChunkChars(), config.maxLineBytes());
    }
}
