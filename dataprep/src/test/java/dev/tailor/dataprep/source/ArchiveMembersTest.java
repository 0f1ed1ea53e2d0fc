package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every archive member is accounted for: unsafe names, links, special files and duplicates are rejected members. */
class ArchiveMembersTest {
    private static final CleaningConfig ALL_TRAIN = FormatsTest.ALL_TRAIN;

    private static byte[] line(int i) throws IOException {
        return (CleaningPipelineTest.realLines().get(i) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Long> rejected(JsonNode report) {
        Map<String, Long> byRule = new HashMap<>();
        for (JsonNode d : report.get("dropped")) {
            byRule.merge(d.get("rule").asText(), 1L, Long::sum);
        }
        return byRule;
    }

    private static JsonNode clean(Path out, String file, byte[] bytes, long kept) throws IOException {
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out);
        p.add(file, new ByteArrayInputStream(bytes), null);
        CleaningResult r = p.finish(Map.of());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        assertEquals(kept, r.kept(), report.get("counts").toString());
        String train = Files.readString(out.resolve("train.jsonl"));
        assertFalse(train.contains("/etc/passwd"), "a link target is never a record: " + train);
        return report;
    }

    @Test
    void tarMembersThatAreNotSafeFilesAreRejectedWithTheReason(@TempDir Path out) throws IOException {
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(new GZIPOutputStream(tgz))) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String name : List.of("faq/a.jsonl", "../../evil.jsonl", "/etc/cron.d/x.jsonl", "faq/a.jsonl")) {
                byte[] data = line(name.equals("faq/a.jsonl") ? 0 : 1);
                TarArchiveEntry e = new TarArchiveEntry(name, true);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
            TarArchiveEntry dir = new TarArchiveEntry("faq/");
            t.putArchiveEntry(dir);
            t.closeArchiveEntry();
            TarArchiveEntry sym = new TarArchiveEntry("faq/passwd.txt", TarConstants.LF_SYMLINK);
            sym.setLinkName("/etc/passwd");
            t.putArchiveEntry(sym);
            t.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("faq/b.jsonl", TarConstants.LF_LINK);
            hard.setLinkName("faq/a.jsonl");
            t.putArchiveEntry(hard);
            t.closeArchiveEntry();
            TarArchiveEntry fifo = new TarArchiveEntry("faq/pipe", TarConstants.LF_FIFO);
            t.putArchiveEntry(fifo);
            t.closeArchiveEntry();
            TarArchiveEntry dev = new TarArchiveEntry("faq/tty", TarConstants.LF_CHR);
            t.putArchiveEntry(dev);
            t.closeArchiveEntry();
        }
        JsonNode report = clean(out, "export.tar.gz", tgz.toByteArray(), 1);
        assertEquals(Map.of(ArchiveSource.UNSAFE_NAME, 2L, ArchiveSource.DUPLICATE_NAME, 1L, ArchiveSource.LINK, 2L,
                ArchiveSource.SPECIAL_FILE, 2L), rejected(report), report.get("dropped").toString());
        JsonNode link = CleaningPipelineTest.find(report.get("dropped"), ArchiveSource.LINK);
        assertEquals("export.tar.gz!faq/passwd.txt", link.get("file").asText());
        assertTrue(link.get("reason").asText().contains("/etc/passwd"), link.toString());
    }

    @Test
    void zipSymlinksKnownOnlyFromTheCentralDirectoryAreRejected(@TempDir Path out) throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(zip)) {
            for (String name : List.of("a.jsonl", "..\\..\\evil.jsonl", "./a.jsonl", "C:/x.jsonl")) {
                z.putArchiveEntry(new ZipArchiveEntry(name));
                z.write(line(name.endsWith("a.jsonl") ? 0 : 1));
                z.closeArchiveEntry();
            }
            ZipArchiveEntry sym = new ZipArchiveEntry("passwd.txt"); // as `zip -y` stores a link: its target as data
            sym.setUnixMode(0120777);
            z.putArchiveEntry(sym);
            z.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            z.closeArchiveEntry();
            ZipArchiveEntry fifo = new ZipArchiveEntry("pipe");
            fifo.setUnixMode(0010644);
            z.putArchiveEntry(fifo);
            z.closeArchiveEntry();
        }
        JsonNode report = clean(out, "export.zip", zip.toByteArray(), 1);
        assertEquals(Map.of(ArchiveSource.UNSAFE_NAME, 2L, ArchiveSource.DUPLICATE_NAME, 1L, ArchiveSource.LINK, 1L,
                ArchiveSource.SPECIAL_FILE, 1L), rejected(report), report.get("dropped").toString());
        try (var temps = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            // the temporary copy of the zip is gone once the archive is read
            assertTrue(temps.noneMatch(p -> p.getFileName().toString().startsWith("tailor-archive-")
                    && p.toFile().lastModified() > System.currentTimeMillis() - 60_000));
        }
    }

    @Test
    void safeNamesStaySafe() {
        assertNull(ArchiveSource.unsafeName("docs/faq..old/a.jsonl"));
        assertNull(ArchiveSource.unsafeName("a..b.jsonl"));
        assertEquals("is an absolute path", ArchiveSource.unsafeName("/a.jsonl"));
    }
}
