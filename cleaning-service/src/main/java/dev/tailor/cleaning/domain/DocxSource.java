package dev.tailor.cleaning.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Word documents (.docx): {@code word/document.xml} is read with StAX straight from the zip stream;
 * paragraphs become paragraphs, paragraphs styled as headings or titles become Markdown headings, and
 * the text goes through {@link TextSource} (chunks, and question → answer pairs under question headings).
 * No external dependency; at most {@code maxDocumentBytes} of text is kept.
 */
public final class DocxSource {
    private DocxSource() {
    }

    public static Iterator<Parsed> open(InputStream in, String file, CleaningConfig config) {
        try {
            ZipInputStream zip = new ZipInputStream(in);
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals("word/document.xml")) {
                    String text = toText(zip, config.maxDocumentBytes());
                    return new TextSource(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file,
                            config.textChunkChars(), config.maxLineBytes());
                }
            }
            return Sources.one(file, "malformed-document", "no word/document.xml in this .docx; save it again from Word"
                    + " or LibreOffice");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (XMLStreamException e) {
            return Sources.one(file, "malformed-document", "word/document.xml is not valid XML: " + e.getMessage());
        }
    }

    /** Paragraph text of a WordprocessingML body, headings as Markdown, one blank line between paragraphs. */
    static String toText(InputStream documentXml, int maxChars) throws XMLStreamException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader r = f.createXMLStreamReader(documentXml, "UTF-8");
        StringBuilder out = new StringBuilder();
        StringBuilder para = new StringBuilder();
        int heading = 0;
        boolean inText = false;
        while (r.hasNext() && out.length() < maxChars) {
            int ev = r.next();
            if (ev == XMLStreamReader.START_ELEMENT) {
                String name = r.getLocalName();
                switch (name) {
                    case "p" -> {
                        para.setLength(0);
                        heading = 0;
                    }
                    case "pStyle" -> heading = headingLevel(attr(r, "val"));
                    case "t" -> inText = true;
                    case "tab" -> para.append('\t');
                    case "br", "cr" -> para.append('\n');
                    default -> { }
                }
            } else if (ev == XMLStreamReader.CHARACTERS && inText) {
                para.append(r.getText());
            } else if (ev == XMLStreamReader.END_ELEMENT) {
                String name = r.getLocalName();
                if (name.equals("t")) {
                    inText = false;
                } else if (name.equals("p") && !para.toString().isBlank()) {
                    if (heading > 0) {
                        out.append("#".repeat(heading)).append(' ');
                    }
                    out.append(para.toString().strip()).append("\n\n");
                }
            }
        }
        return out.toString();
    }

    private static int headingLevel(String style) {
        if (style == null) {
            return 0;
        }
        String s = style.toLowerCase();
        if (s.equals("title")) {
            return 1;
        }
        if (s.startsWith("heading") || s.startsWith("berschrift") || s.startsWith("titre")) {
            String digits = s.replaceAll("\\D", "");
            return digits.isEmpty() ? 1 : Math.min(6, Integer.parseInt(digits.substring(0, 1)));
        }
        return 0;
    }

    private static String attr(XMLStreamReader r, String local) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (r.getAttributeLocalName(i).equals(local)) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }
}
