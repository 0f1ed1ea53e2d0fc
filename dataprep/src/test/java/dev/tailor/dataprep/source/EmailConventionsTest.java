package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.email.EmailSource;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The e-mail conventions on real mail: the first 83 "[ILUG]" messages of the SpamAssassin corpus' easy-ham-2 folder
 * (src/test/resources/data/ilug-83/, see data/README.md), read as .eml files, as one mbox, and as a help desk exports
 * them: (question, answer) text fields of JSONL, CSV and Parquet with the raw bodies (quotes, attributions, signatures,
 * list footers and sign-offs in them). What is left is measured with patterns of this test, not the rules' own.
 */
public class EmailConventionsTest {
    public static final String[] FILES = ("00013 00014 00015 00016 00017 00018 00019 00020 00021 00022 00023 00024 00025 00026 00042"
            + " 00043 00044 00045 00046 00047 00055 00056 00058 00059 00060 00061 00062 00063 00064 00065 00066 00067 00068 00069"
            + " 00070 00071 00072 00073 00074 00075 00076 00077 00078 00079 00080 00081 00082 00083 00084 00085 00086 00087 00088"
            + " 00089 00090 00091 00092 00093 00094 00095 00096 00097 00098 00099 00100 00101 00102 00103 00104 00105 00106 00107"
            + " 00108 00109 00110 00111 00112 00113 00114 00115 00116 00117 00118").split(" ");
    private static final CleaningConfig ALL_TRAIN = FormatsTest.ALL_TRAIN;
    private static final CleaningConfig FIELDS_OFF = CleaningConfig.fromJson("{\"trainRatio\":1,\"validationRatio\":0,"
            + "\"testRatio\":0,\"emailInFields\":\"off\"}");
    /** What a reader sees as left-over mail furniture in an example. */
    private static final Map<String, Pattern> LEFT_OVER = new LinkedHashMap<>();

    static {
        LEFT_OVER.put("quoted line", Pattern.compile("(?m)^\\s*(>|\\|\\s|[A-Za-z]{1,12}>\\s)"));
        LEFT_OVER.put("attribution", Pattern.compile("(?m)^.{0,160}\\b(wrote|said|writes|thought|asked)\\s?:\\s*$"));
        LEFT_OVER.put("signature or list footer", Pattern.compile("(?m)^-- ?$|listinfo|mailing list|\\(un\\)subscription"));
        LEFT_OVER.put("closing", Pattern.compile("(?im)^[-\\s]*(cheers|regards|thanks|later|rgds)\\b[,!. ]*(\\n.{0,25})?\\s*\\z"));
    }

    static byte[] eml(String number) throws IOException {
        return FormatsTest.resource("ilug-83/" + number + ".eml");
    }

    static Map<String, Long> leftOver(List<JsonNode> examples) {
        Map<String, Long> n = new LinkedHashMap<>();
        LEFT_OVER.forEach((what, p) -> n.put(what, examples.stream().filter(e -> {
            for (JsonNode m : e.get("messages")) {
                if (p.matcher(m.get("content").asText()).find()) {
                    return true;
                }
            }
            return false;
        }).count()));
        return n;
    }

    private static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void eightyThreeRealMessagesGiveTheirReplyPairsWithoutMailFurniture(@TempDir Path out) throws IOException {
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out.resolve("eml"));
        for (String f : FILES) {
            p.add(f + ".eml", new ByteArrayInputStream(eml(f)), null);
        }
        CleaningResult r = p.finish(Map.of());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        List<JsonNode> ex = CleaningPipelineTest.readJsonl(r.split(Split.TRAIN));
        long pairs = report.at("/counts/email.pairs").asLong();
        long orphans = report.at("/counts/dropped.email-reply-without-question").asLong();
        Map<String, Long> left = leftOver(ex);
        System.out.printf("ILUG, 83 .eml files: %d replies whose question is among the files (pairs), %d replies whose question"
                        + " is not, %d examples kept; left-over mail furniture in examples: %s; rules applied: %s%n", pairs,
                orphans, ex.size(), left, emailCounts(report.get("counts")));
        assertEquals(33, pairs, "the replies whose parent (In-Reply-To/References) is among the 83 files");
        assertEquals(27, orphans);
        assertEquals(32, ex.size(), "one pair is a near-duplicate of another");
        assertEquals(0, total(left), left.toString());
        assertTrue(report.at("/counts/email.quoted").asLong() >= 50 && report.at("/counts/email.sign-off").asLong() >= 40,
                report.get("counts").toString());
    }

    /**
     * Why ingest and the report count differently for one mbox: ingest counts the records its reader yields that parse
     * (the pairs formed while reading), the report counts every record the run handled: those pairs, the rejected
     * messages (spam, auto-replies) and the replies whose question never came, which are known only when the run ends.
     */
    @Test
    void ingestCountsPairsReadTheReportCountsEveryRecordOfTheRun(@TempDir Path out) throws IOException {
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        for (String f : FILES) {
            mbox.write(eml(f));
            mbox.write('\n');
        }
        SourceContext ctx = new SourceContext(ALL_TRAIN);
        long ok = 0;
        long rejected = 0;
        var records = SourceOpener.open("ilug.mbox", null, new ByteArrayInputStream(mbox.toByteArray()), ctx, 0).records();
        while (records.hasNext()) {
            ParseResult x = records.next();
            ok += x.isOk() ? 1 : 0;
            rejected += x.isOk() ? 0 : 1;
        }
        CleaningPipeline p = new CleaningPipeline(ALL_TRAIN, out);
        p.add("ilug.mbox", new ByteArrayInputStream(mbox.toByteArray()), null);
        CleaningResult r = p.finish(Map.of());
        long atEnd = ctx.threads().orphans().size();
        System.out.printf("ILUG as one mbox: ingest's reader yields %d pairs (+%d rejected while reading); the report counts %d"
                + " records = %d pairs + %d replies without their question found when the run ends%n", ok, rejected, r.read(), ok, atEnd);
        assertEquals(33, ok);
        assertEquals(r.read(), ok + rejected + atEnd);
    }

    @Test
    void textFieldsOfJsonlCsvAndParquetExportsGetTheSameConventions(@TempDir Path out) throws IOException {
        List<String[]> pairs = rawPairs();
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        StringBuilder csv = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.RFC4180.builder().setHeader("question", "answer").get())) {
            for (String[] qa : pairs) {
                ObjectNode o = CleaningPipelineTest.JSON.createObjectNode().put("question", qa[0]).put("answer", qa[1]);
                jsonl.write((o + "\n").getBytes(StandardCharsets.UTF_8));
                printer.printRecord((Object[]) qa);
            }
        }
        byte[] parquet = ParquetSourceTest.parquet(out, pairs);
        Map<String, byte[]> exports = Map.of("tickets.jsonl", jsonl.toByteArray(), "tickets.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8), "tickets.parquet", parquet);
        for (var export : exports.entrySet()) {
            List<JsonNode> before = clean(out.resolve("off-" + export.getKey()), FIELDS_OFF, export.getKey(), export.getValue());
            Path afterDir = out.resolve("on-" + export.getKey());
            List<JsonNode> after = clean(afterDir, ALL_TRAIN, export.getKey(), export.getValue());
            Map<String, Long> b = leftOver(before);
            Map<String, Long> a = leftOver(after);
            System.out.printf("%s, %d raw (question, answer) bodies: examples with mail furniture %s -> %s%n", export.getKey(),
                    pairs.size(), b, a);
            assertTrue(b.get("quoted line") >= 20 && b.get("signature or list footer") >= 20, b.toString());
            assertEquals(0, total(a), export.getKey() + ": " + a);
            JsonNode counts = CleaningPipelineTest.JSON.readTree(afterDir.resolve("report.json").toFile()).get("counts");
            assertTrue(counts.path("email-in-fields.quoted").asLong() >= 20, counts.toString());
        }
    }

    @Test
    void aConfiguredFieldIsCleanedEvenWithoutSignsOfMail(@TempDir Path out) throws IOException {
        String line = "{\"question\":\"How do I list hard links?\",\"answer\":\"Use find -samefile.\\n\\nThanks, Peter\"}\n";
        CleaningConfig off = CleaningConfig.fromJson("{\"trainRatio\":1,\"validationRatio\":0,\"testRatio\":0,"
                + "\"emailInFields\":\"off\",\"emailFields\":[\"answer\"]}");
        List<JsonNode> ex = clean(out, off, "t.jsonl", line.getBytes(StandardCharsets.UTF_8));
        assertEquals("Use find -samefile.", ex.get(0).at("/messages/1/content").asText());
        List<JsonNode> detect = clean(out.resolve("d"), ALL_TRAIN, "t.jsonl", line.getBytes(StandardCharsets.UTF_8));
        assertEquals("Use find -samefile.\n\nThanks, Peter", detect.get(0).at("/messages/1/content").asText(),
                "a closing alone is no sign of e-mail: detection leaves the field as it is");
    }

    private static List<JsonNode> clean(Path out, CleaningConfig cfg, String file, byte[] data) throws IOException {
        return FormatsTest.clean(out, cfg, file, data);
    }

    private static String emailCounts(JsonNode counts) {
        Map<String, Long> m = new LinkedHashMap<>();
        counts.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("email.")) {
                m.put(e.getKey(), e.getValue().asLong());
            }
        });
        return m.toString();
    }

    /** (parent body, reply body) of every reply among the 83 whose parent is among them, the bodies as sent. */
    static List<String[]> rawPairs() throws IOException {
        Session session = Session.getInstance(new Properties());
        Map<String, String> bodyById = new HashMap<>();
        List<String[]> replies = new ArrayList<>(); // {parent id, body}
        for (String f : FILES) {
            try (InputStream in = new ByteArrayInputStream(eml(f))) {
                MimeMessage m = new MimeMessage(session, in);
                String body = EmailSource.text(m);
                String id = m.getMessageID();
                if (id != null) {
                    bodyById.put(id.strip(), body);
                }
                String parent = m.getHeader("In-Reply-To", " ");
                if (parent != null && parent.contains("<")) {
                    replies.add(new String[] {parent.substring(parent.indexOf('<'), parent.indexOf('>') + 1), body});
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IOException(e);
            }
        }
        List<String[]> pairs = new ArrayList<>();
        for (String[] r : replies) {
            String q = bodyById.get(r[0]);
            if (q != null) {
                pairs.add(new String[] {q, r[1]});
            }
        }
        return pairs;
    }
}
