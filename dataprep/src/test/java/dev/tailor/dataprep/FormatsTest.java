package dev.tailor.dataprep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import dev.tailor.dataprep.source.InputFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** E-mail, HTML, documents and archives, on real text (see src/test/resources/data/README.md). */
public class FormatsTest {
    public static final CleaningConfig ALL_TRAIN = CleaningConfig.fromJson("{\"trainRatio\":1,\"validationRatio\":0,\"testRatio\":0}");

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    public static byte[] resource(String name) throws IOException {
        try (InputStream in = FormatsTest.class.getResourceAsStream("/data/" + name)) {
            return in.readAllBytes();
        }
    }

    public static List<JsonNode> clean(Path out, CleaningConfig cfg, String file, byte[] data) throws IOException {
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add(file, new ByteArrayInputStream(data), null);
        CleaningResult r = p.finish(Map.of());
        return CleaningPipelineTest.readJsonl(r.split(Split.TRAIN));
    }

    @Test
    void mailThreadsBecomeQuestionAnswerPairsWithoutQuotesSignaturesOrFooters(@TempDir Path out) throws IOException {
        List<JsonNode> ex = clean(out, ALL_TRAIN, "ilug.mbox", resource("ilug-threads.mbox"));
        JsonNode counts = CleaningPipelineTest.JSON.readTree(out.resolve("report.json").toFile()).get("counts");
        assertEquals(4, counts.get("email.sign-off").asLong(), "Niall, Donncha., Cheers/Tiarnan and 'Thanks !!!': " + counts);
        assertEquals(3, ex.size(), ex.toString());
        JsonNode scp = find(ex, "scp is good");
        assertEquals("Secure remote file access\n\nWhat are the best options available on Linux ? SFTP ? WebDAV ? Something\n"
                + "else ? Linux servers - Linux and Mac OS-X clients.", scp.at("/messages/0/content").asText());
        assertEquals("If you mean secure file transfer\nscp is good", scp.at("/messages/1/content").asText());
        assertEquals("<20020813132440.A13714@prodigy.Redbrick.DCU.IE>", scp.at("/source/id").asText());
        assertEquals("rsync over ssh.. very nice!", find(ex, "rsync").at("/messages/1/content").asText());
        JsonNode find = find(ex, "xdev");
        String answer = find.at("/messages/1/content").asText();
        assertTrue(answer.startsWith("find / -xdev -type f -exec du -sk {} \\; | sort -rn | head -5"), answer);
        assertTrue(answer.endsWith("-xdev will stop find recursing into other filesystems."), answer);
        assertFalse(answer.contains("Tel.") || answer.contains(">"), answer);
        String question = find.at("/messages/0/content").asText();
        assertTrue(question.startsWith("find the biggest file\n\nHi,all:"), question);
        assertFalse(question.contains("Yahoo"), question);
    }

    @Test
    void aReplyWithoutItsQuestionIsReported(@TempDir Path out) throws IOException {
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out);
        assertEquals(InputFormat.MBOX, p.add("reply.eml", new ByteArrayInputStream(resource("reply.eml")), null));
        CleaningResult r = p.finish(Map.of());
        assertEquals(0, r.kept());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        JsonNode d = CleaningPipelineTest.find(report.get("dropped"), "email-reply-without-question");
        assertEquals("<871y8jibut.fsf@wintermute.att.cmg.nl>", d.get("id").asText());
    }

    @Test
    void htmlFaqBecomesQuestionAnswerPairs(@TempDir Path out) throws IOException {
        List<JsonNode> ex = clean(out, ALL_TRAIN, "faq.html", resource("sqlite-faq-extract.html"));
        JsonNode q1 = find(ex, "AUTOINCREMENT field?");
        assertEquals("How do I create an AUTOINCREMENT field?", q1.at("/messages/0/content").asText());
        String a1 = q1.at("/messages/1/content").asText();
        assertTrue(a1.startsWith("Short answer: A column declared INTEGER PRIMARY KEY will autoincrement."), a1);
        assertTrue(a1.contains("CREATE TABLE t1("), a1);
        JsonNode q2 = find(ex, "What datatypes does SQLite support?");
        assertTrue(q2.at("/messages/1/content").asText().startsWith("SQLite uses dynamic typing."));
        for (JsonNode e : ex) {
            assertFalse(e.toString().contains("Purchase") && e.toString().contains("Download"), "navigation left in " + e);
        }
    }

    @Test
    void zipAndTarGzArchivesAreReadEntryByEntry(@TempDir Path out) throws IOException {
        byte[] jsonl = CleaningPipelineTest.realLines().subList(0, 3).stream().reduce("", (a, b) -> a + b + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("support/part1.jsonl"));
            z.write(jsonl);
            z.putNextEntry(new ZipEntry("mail/ilug.mbox"));
            z.write(resource("ilug-threads.mbox"));
        }
        int plain = clean(out.resolve("plain"), ALL_TRAIN, "part1.jsonl", jsonl).size();
        List<JsonNode> ex = clean(out.resolve("zip"), ALL_TRAIN, "export.zip", zip.toByteArray());
        assertEquals(plain + 3, ex.size());
        assertTrue(ex.stream().anyMatch(e -> e.at("/source/file").asText().equals("export.zip!support/part1.jsonl")));

        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(tgz))) {
            TarArchiveEntry e = new TarArchiveEntry("inner.zip");
            e.setSize(zip.size());
            t.putArchiveEntry(e);
            t.write(zip.toByteArray());
            t.closeArchiveEntry();
        }
        assertEquals(plain + 3, clean(out.resolve("tgz"), ALL_TRAIN, "export.tar.gz", tgz.toByteArray()).size());
        CleaningConfig shallow = CleaningConfig.fromJson("{\"trainRatio\":1,\"validationRatio\":0,\"testRatio\":0,\"maxArchiveDepth\":1}");
        assertEquals(0, clean(out.resolve("deep"), shallow, "export.tar.gz", tgz.toByteArray()).size());
    }

    /** An encrypted entry is rejected alone, the rest of its archive read; an archive that cannot be opened is one rejection. */
    @Test
    void unreadableArchiveEntriesAndArchivesAreRejectedNotFatal(@TempDir Path out) throws IOException {
        byte[] jsonl = CleaningPipelineTest.realLines().get(0).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (String name : List.of("secret.jsonl", "open.jsonl")) {
                ZipEntry e = new ZipEntry(name);
                e.setMethod(ZipEntry.STORED); // sizes in the local header: an unreadable entry can be skipped
                e.setSize(jsonl.length);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(jsonl);
                e.setCrc(crc.getValue());
                z.putNextEntry(e);
                z.write(jsonl);
            }
        }
        byte[] bytes = zip.toByteArray();
        bytes[6] |= 1; // the first entry's local header: general purpose flag bit 0, "encrypted"
        int central = indexOf(bytes, new byte[] {'P', 'K', 1, 2}); // and its central directory header, as in a real encrypted zip
        bytes[central + 8] |= 1;
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out);
        p.add("export.zip", new ByteArrayInputStream(bytes), null);
        byte[] brokenGzip = {(byte) 0x1f, (byte) 0x8b, 9, 9, 9};
        assertEquals(InputFormat.GZIP, p.add("broken.jsonl.gz", new ByteArrayInputStream(brokenGzip), null));
        CleaningResult r = p.finish(Map.of());
        assertEquals(1, r.kept());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        JsonNode secretEntry = CleaningPipelineTest.find(report.get("dropped"), "unsupported-format");
        assertEquals("export.zip!secret.jsonl", secretEntry.get("file").asText());
        assertTrue(secretEntry.get("reason").asText().contains("encrypted"), secretEntry.toString());
        assertEquals("broken.jsonl.gz", CleaningPipelineTest.find(report.get("dropped"), "malformed-archive").get("file").asText());
    }

    @Test
    void archiveBombStopsTheArchiveNotTheRun(@TempDir Path out) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        byte[] zeros = new byte[1024 * 1024];
        java.util.Arrays.fill(zeros, (byte) 'a');
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("bomb.txt"));
            for (int i = 0; i < 80; i++) {
                z.write(zeros); // 80 MiB of one letter: about 80 KiB compressed
            }
        }
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out);
        p.add("bomb.zip", new ByteArrayInputStream(zip.toByteArray()), null);
        p.add("good.jsonl", new ByteArrayInputStream(CleaningPipelineTest.realLines().get(0).getBytes(StandardCharsets.UTF_8)), null);
        CleaningResult r = p.finish(Map.of());
        assertEquals(1, r.kept());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertTrue(CleaningPipelineTest.find(report.get("dropped"), "archive-bomb").get("reason").asText().contains("maxArchiveRatio"));
    }

    @Test
    void ticketExportsBecomeConversations(@TempDir Path out) throws IOException {
        List<JsonNode> ex = clean(out, ALL_TRAIN, "tickets.jsonl", resource("tickets.jsonl"));
        assertEquals(2, ex.size(), ex.toString());
        JsonNode scp = find(ex, "scp is good");
        assertEquals(2, scp.get("messages").size(), "the internal note is skipped");
        assertTrue(scp.at("/messages/0/content").asText().startsWith("Secure remote file access\n\nWhat are the best options"));
        JsonNode big = find(ex, "xdev");
        assertEquals(2, big.get("messages").size(), "customer turns merged, the unanswered 'Thanks' cut");
        assertTrue(big.at("/messages/0/content").asText().endsWith("The system is Solaris 8 Sparc."));
        assertEquals("assistant", big.at("/messages/1/role").asText());
    }

    @Test
    void officeDocumentsBecomeQuestionAnswerPairsAndChunks(@TempDir Path out) throws IOException {
        CleaningPipeline pipeline = new CleaningPipeline(ALL_TRAIN, out);
        assertEquals(InputFormat.ODT, pipeline.add("spec.odt", new ByteArrayInputStream(resource("documents/aprx-requirement-specification.odt")), null));
        assertEquals(InputFormat.DOCX, pipeline.add("example.bin", new ByteArrayInputStream(resource("documents/officer-example.docx")), null));
        assertEquals(InputFormat.PDF, pipeline.add("minutes.pdf", new ByteArrayInputStream(resource("documents/gofpdf-set-protection.pdf")), null));
        CleaningResult r = pipeline.finish(Map.of());
        List<JsonNode> ex = CleaningPipelineTest.readJsonl(r.split(Split.TRAIN));
        JsonNode qa = find(ex, "{\"role\":\"user\",\"content\":\"Individual Call-Signs for Each Receiver, or Not?\"}");
        String answer = qa.at("/messages/1/content").asText();
        assertTrue(answer.startsWith("Opinions are mixed on the question of having separate call-signs"), answer);
        String table = find(ex, "| Petals | Internode | Sepal | Bract |").at("/text").asText();
        assertTrue(table.startsWith("Morbi rhoncus sapien"), table);
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertTrue(CleaningPipelineTest.find(report.get("dropped"), "encrypted-document").get("reason").asText()
                .startsWith("'minutes.pdf' is a password-protected PDF document"));
    }

    @Test
    void pdfTextBecomesDocumentChunks(@TempDir Path out) throws IOException {
        CleaningPipeline pipeline = new CleaningPipeline(ALL_TRAIN, out);
        assertEquals(InputFormat.PDF, pipeline.add("release.pdf", new ByteArrayInputStream(resource("sqlite-copyright-release.pdf")), null));
        List<JsonNode> ex = CleaningPipelineTest.readJsonl(pipeline.finish(Map.of()).split(Split.TRAIN));
        assertTrue(ex.size() >= 1, ex.toString());
        String text = ex.get(0).path("text").asText();
        assertTrue(text.startsWith("Copyright Release for"), text);
        assertTrue(text.contains("Contributions To SQLite"), text);
    }

    public static JsonNode find(List<JsonNode> ex, String text) {
        return ex.stream().filter(e -> e.toString().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no example containing '" + text + "' in " + ex));
    }
}
