package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.ParseResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Office documents and PDF read with Apache Tika, on real documents (see src/test/resources/data/README.md). */
class DocumentSourceTest {
    private static final CleaningConfig DEFAULTS = CleaningConfig.defaults();

    static byte[] document(String name) throws IOException {
        return FormatsTest.resource("documents/" + name);
    }

    static List<ParseResult> read(String file, byte[] data, CleaningConfig config) {
        return read(file, new ByteArrayInputStream(data), config);
    }

    static List<ParseResult> read(String file, InputStream data, CleaningConfig config) {
        List<ParseResult> out = new ArrayList<>();
        SourceOpener.open(file, null, data, new SourceContext(config), 0).records().forEachRemaining(out::add);
        return out;
    }

    static List<String> texts(List<ParseResult> records) {
        return records.stream().filter(ParseResult::isOk).map(p -> p.example().text() != null ? p.example().text()
                : p.example().messages().get(0).content() + " -> " + p.example().messages().get(1).content()).toList();
    }

    static String text(List<ParseResult> records) {
        return String.join("\n\n", texts(records));
    }

    @Test
    void formatsAreDetectedFromTheFirstBytesWithTheNameAsAHint() throws IOException {
        assertEquals(InputFormat.ODT, detect("spec.bin", document("aprx-requirement-specification.odt")));
        assertEquals(InputFormat.DOCX, detect("example.bin", document("officer-example.docx")));
        assertEquals(InputFormat.PPTX, detect("slides.bin", document("docx4js-loader.pptx")));
        assertEquals(InputFormat.XLSX, detect("sheet.bin", document("mimetype-xlsx.xlsx")));
        assertEquals(InputFormat.RTF, detect("notes.txt", document("aft2rtf-doc.rtf")));
        assertEquals(InputFormat.DOC, detect("notes.doc", document("mimetype-doc.doc")));
        assertEquals(InputFormat.OLE2, detect("notes.bin", document("mimetype-doc.doc")), "Word, Excel or Outlook: Tika tells");
        assertEquals(InputFormat.PDF, detect("release", FormatsTest.resource("sqlite-copyright-release.pdf")));
        byte[] zip = zipOf(document("mammoth-tables.docx"));
        assertEquals(InputFormat.ZIP, detect("export.zip", zip), "a zip holding a .docx is an archive");
        List<ParseResult> inZip = read("export.zip", zip, DEFAULTS);
        assertEquals("export.zip!reports/tables.docx", inZip.get(0).source().file());
        assertTrue(text(inZip).contains("| Top left | Top right |"), inZip.toString());
    }

    @Test
    void openDocumentHeadingsSplitChunksAndAQuestionHeadingBecomesAQuestionAnswerPair() throws IOException {
        List<ParseResult> records = read("aprx-requirement-specification.odt", document("aprx-requirement-specification.odt"), DEFAULTS);
        Example qa = records.stream().filter(ParseResult::isOk).map(ParseResult::example).filter(e -> e.messages().size() == 2
                && e.messages().get(0).content().equals("Individual Call-Signs for Each Receiver, or Not?")).findFirst().orElseThrow();
        String answer = qa.messages().get(1).content();
        assertTrue(answer.startsWith("Opinions are mixed on the question of having separate call-signs for each receiver"), answer);
        assertTrue(answer.contains("\n\n- There is no license fee in most countries for receivers,"), "a bulleted list stays a list: " + answer);
        List<String> texts = texts(records);
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("This describes algorithmic, IO-, and environmental requirements")),
                "the '## Purpose:' heading starts a new chunk: " + texts);
        assertTrue(text(records).contains("1. Listen on messages with a radio, and pass them to APRSIS network service\n"
                + "2. Listen on messages with a radio, and selectively re-send them on radio\n"), "a numbered list stays a list");
        assertFalse(text(records).lines().anyMatch(l -> l.startsWith("#")), "headings are not example text");
    }

    @Test
    void wordHeadingsListsAndTablesBecomeMarkdownishText() throws IOException {
        List<String> texts = texts(read("officer-example.docx", document("officer-example.docx"), DEFAULTS));
        assertEquals("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", texts.get(0), "'# Title 1' ends at '# Title 2'");
        assertEquals("1. Quisque tristique\n2. Augue nisi, et convallis\n3. Sapien mollis nec.", texts.get(1));
        assertEquals("- Quisque tristique\n- Augue nisi, et convallis\n- Sapien mollis nec.\n\n"
                + "Phasellus nec nunc vitae nulla interdum volutpat eu ac massa.", texts.get(2), "Word's bullet glyphs become '-'");
        String table = texts.get(3);
        assertTrue(table.startsWith("Morbi rhoncus sapien sit amet leo eleifend, vel fermentum nisi mattis.\n\n"
                + "| Petals | Internode | Sepal | Bract |\n| --- | --- | --- | --- |\n| 5,621498349 | 2,462106579 18,2034091 |  |  |\n"), table);
        assertTrue(table.contains("\n| 5,645575295 | Merged cell | 2,278691288 |  |\n"), table);

        assertEquals(List.of("Above\n\n| Top left | Top right |\n| --- | --- |\n| Bottom left | Bottom right |\n\nBelow"),
                texts(read("mammoth-tables.docx", document("mammoth-tables.docx"), DEFAULTS)));
        assertEquals(List.of("- Apple\n- Banana"), texts(read("mammoth-simple-list.docx", document("mammoth-simple-list.docx"), DEFAULTS)));
    }

    @Test
    void longDocumentsBecomeChunksOfAboutTextChunkChars() throws IOException {
        List<String> chunks = texts(read("carroll-lookingglass.docx", document("carroll-lookingglass.docx"), DEFAULTS));
        assertTrue(chunks.size() >= 4, chunks.toString());
        assertTrue(chunks.get(0).startsWith("THROUGH THE LOOKING-GLASS\n\nBy Lewis Carroll"), chunks.get(0));
        assertTrue(text(read("carroll-lookingglass.docx", document("carroll-lookingglass.docx"), DEFAULTS))
                .contains("'Do you know what to-morrow is, Kitty?' Alice began."));
        assertTrue(chunks.stream().filter(c -> c.length() >= DEFAULTS.documents().textChunkChars()).count() >= 6,
                "paragraphs are gathered up to textChunkChars: " + chunks.stream().map(String::length).toList());
        assertTrue(chunks.get(chunks.size() - 1).startsWith("'And hast thou slain the Jabberwock? -> Come to my arms, my beamish boy!"),
                "a one-line paragraph ending in '?' is a question, as in text");
    }

    @Test
    void wordPowerPointExcelAndRtfAreRead() throws IOException {
        String doc = text(read("notes.bin", document("mimetype-doc.doc"), DEFAULTS));
        assertEquals("Simple doc from Libre Writer v7.4.1.2", doc, "an OLE2 file without a telling name: Tika finds Word");
        assertEquals(List.of("hello\n\nHow are you doing\n\nGood moarning\n\nThis is a solution"),
                texts(read("loader.pptx", document("docx4js-loader.pptx"), DEFAULTS)));
        assertEquals(List.of("| this | is | an | example | spreadsheet |\n| --- | --- | --- | --- | --- |"),
                texts(read("sheet.xlsx", document("mimetype-xlsx.xlsx"), DEFAULTS)), "a sheet is a table; its name a heading");
        String rtf = text(read("aft2rtf-doc.rtf", document("aft2rtf-doc.rtf"), DEFAULTS));
        assertTrue(rtf.startsWith("Converting aft-files to rtf-files\n\nEva Maria Krause\n\nVersion 1.0"), rtf);
        assertTrue(rtf.contains("\n\nFirst of all, lines in rtf-files are concatenated without intermediate spaces."), rtf);
    }

    @Test
    void encryptedDamagedAndUnsupportedDocumentsAreOneRejectionNamingTheFile() throws IOException {
        List<ParseResult> encrypted = read("board/minutes.pdf", document("gofpdf-set-protection.pdf"), DEFAULTS);
        assertEquals(1, encrypted.size(), encrypted.toString());
        assertEquals("encrypted-document", encrypted.get(0).rule());
        assertEquals("'board/minutes.pdf' is a password-protected PDF document; save or export it without a password"
                + " and add it again", encrypted.get(0).reason());

        byte[] docx = document("mammoth-tables.docx");
        List<ParseResult> cut = read("tables.docx", Arrays.copyOf(docx, 3000), DEFAULTS); // cut inside word/document.xml
        assertEquals(1, cut.size(), cut.toString());
        assertEquals("malformed-document", cut.get(0).rule());
        assertTrue(cut.get(0).reason().startsWith("'tables.docx' is not a readable Word (.docx) document (SAXParseException: "), cut.get(0).reason());
        assertTrue(cut.get(0).reason().endsWith("; open it and save it again, or export it as PDF"), cut.get(0).reason());

        byte[] pdf = FormatsTest.resource("sqlite-copyright-release.pdf");
        List<ParseResult> head = read("release.pdf", Arrays.copyOf(pdf, 600), DEFAULTS);
        assertEquals(1, head.size(), head.toString());
        assertFalse(head.get(0).isOk());
        assertTrue(head.get(0).reason().startsWith("'release.pdf' "), head.get(0).reason());
    }

    @Test
    void textPastMaxDocumentBytesIsCutAndReported() throws IOException {
        CleaningConfig small = CleaningConfig.fromJson("{\"maxDocumentBytes\":4096,\"textChunkChars\":1000}");
        List<ParseResult> records = read("carroll-lookingglass.docx", document("carroll-lookingglass.docx"), small);
        ParseResult last = records.get(records.size() - 1);
        assertEquals("document-truncated", last.rule());
        assertEquals("the text of 'carroll-lookingglass.docx' past maxDocumentBytes=4096 characters was cut; split the"
                + " document or raise the limit", last.reason());
        assertTrue(records.subList(0, records.size() - 1).stream().allMatch(ParseResult::isOk));
        int kept = texts(records).stream().mapToInt(String::length).sum();
        assertTrue(kept > 3000 && kept <= 4096, "kept " + kept + " characters");
    }

    @Test
    void aDocumentLargerThanTheInMemoryLimitIsReadFromATemporaryFile() throws IOException {
        byte[] pdf = FormatsTest.resource("sqlite-copyright-release.pdf");
        byte[] padding = new byte[DocumentSource.IN_MEMORY_BYTES];
        Arrays.fill(padding, (byte) '\n'); // white space after %%EOF: still a valid PDF, now 4 MiB larger
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        List<ParseResult> records = read("padded.pdf", new SequenceInputStream(new ByteArrayInputStream(pdf),
                new ByteArrayInputStream(padding)), DEFAULTS);
        System.out.printf("padded.pdf (%d bytes, spooled to a temporary file): %d ms, heap %+d KiB%n", pdf.length + padding.length,
                (System.nanoTime() - t0) / 1_000_000, (rt.totalMemory() - rt.freeMemory() - before) / 1024);
        assertTrue(text(records).startsWith("Copyright Release for\nContributions To SQLite"), records.toString());
    }

    @Test
    void parseTimePerDocument() throws IOException {
        List<String> names = List.of("aprx-requirement-specification.odt", "officer-example.docx", "mammoth-tables.docx",
                "mammoth-simple-list.docx", "carroll-lookingglass.docx", "mimetype-doc.doc", "mimetype-xlsx.xlsx",
                "docx4js-loader.pptx", "aft2rtf-doc.rtf", "gofpdf-set-protection.pdf");
        StringBuilder report = new StringBuilder();
        for (String name : names) {
            byte[] data = document(name);
            long t0 = System.nanoTime();
            List<ParseResult> first = read(name, data, DEFAULTS);
            long cold = System.nanoTime() - t0;
            t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                read(name, data, DEFAULTS);
            }
            long warm = (System.nanoTime() - t0) / 5;
            report.append(String.format("%-38s %7d bytes  first %5.1f ms  then %5.1f ms  %d records%n", name, data.length,
                    cold / 1e6, warm / 1e6, first.size()));
            assertTrue(name.contains("protection") || first.stream().anyMatch(ParseResult::isOk), name + ": " + first);
        }
        System.out.print(report);
    }

    private static InputFormat detect(String name, byte[] data) {
        return InputFormat.detect(name, null, data, Math.min(data.length, 8192));
    }

    private static byte[] zipOf(byte[] entry) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("reports/tables.docx"));
            z.write(entry);
        }
        return zip.toByteArray();
    }
}
