package dev.tailor.dataprep.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.FormatsTest;
import dev.tailor.dataprep.config.PiiSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Precision and recall of PII redaction per type on a labelled set of real text (src/test/resources/data/pii/, see
 * data/README.md): 411 spans in 318 lines of SpamAssassin mails (bodies and a Received header each) and of the
 * PostgreSQL and Python documentation, each candidate span (anything with '@', seven or more digits, or a dotted quad)
 * labelled EMAIL, PHONE, IP or NONE by a reader. A predicted span is right when it overlaps a labelled span of its type.
 * Printed for the redactor of earlier versions (no context), the default settings, and the settings for technical
 * documentation ({@code ipAddresses: public}).
 */
class PiiLabelledSetTest {
    private static final List<String> TYPES = List.of("EMAIL", "PHONE", "CARD", "IBAN", "IP");

    record Labelled(String source, String line, List<int[]> spans, List<String> labels) {
    }

    record Score(long tp, long fp, long fn) {
        double precision() {
            return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
        }
    }

    static List<Labelled> labelled() throws IOException {
        Map<String, Labelled> byLine = new LinkedHashMap<>();
        for (String row : new String(FormatsTest.resource("pii/labelled-spans.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (row.startsWith("#") || row.isBlank()) {
                continue;
            }
            String[] f = row.split("\t", 5);
            Labelled l = byLine.computeIfAbsent(f[0] + "\u0000" + f[4], k -> new Labelled(f[0], f[4], new ArrayList<>(), new ArrayList<>()));
            l.spans().add(new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
            l.labels().add(f[3]);
        }
        return List.copyOf(byLine.values());
    }

    static Map<String, Score> score(PiiRedactor redactor, List<Labelled> set) {
        Map<String, long[]> n = new LinkedHashMap<>();
        TYPES.forEach(t -> n.put(t, new long[3]));
        for (Labelled l : set) {
            List<PiiRedactor.Span> found = redactor.find(l.line());
            for (PiiRedactor.Span s : found) {
                boolean right = false;
                for (int i = 0; i < l.spans().size(); i++) {
                    int[] span = l.spans().get(i);
                    right |= l.labels().get(i).equals(s.type()) && s.start() < span[1] && span[0] < s.end();
                }
                n.get(s.type())[right ? 0 : 1]++;
            }
            for (int i = 0; i < l.spans().size(); i++) {
                String label = l.labels().get(i);
                if (label.equals("NONE")) {
                    continue;
                }
                int[] span = l.spans().get(i);
                boolean hit = found.stream().anyMatch(s -> s.type().equals(label) && s.start() < span[1] && span[0] < s.end());
                if (!hit) {
                    n.get(label)[2]++;
                }
            }
        }
        Map<String, Score> out = new LinkedHashMap<>();
        n.forEach((t, v) -> out.put(t, new Score(v[0], v[1], v[2])));
        return out;
    }

    private static String table(String title, Map<String, Score> s) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        s.forEach((t, v) -> sb.append(String.format("  %-6s precision %.3f  recall %.3f  (tp %d, fp %d, fn %d)%n", t, v.precision(),
                v.recall(), v.tp(), v.fp(), v.fn())));
        return sb.toString();
    }

    @Test
    void contextKeepsTechnicalNumbersWithoutMissingPersonalData() throws IOException {
        List<Labelled> set = labelled();
        long spans = set.stream().mapToLong(l -> l.spans().size()).sum();
        assertTrue(spans >= 400 && set.size() >= 300, spans + " spans in " + set.size() + " lines");
        Map<String, Score> before = score(new PiiRedactor(new PiiSettings(true, Map.of(), false, "all", null)), set);
        Map<String, Score> after = score(new PiiRedactor(PiiSettings.defaults()), set);
        Map<String, Score> docs = score(new PiiRedactor(new PiiSettings(true, Map.of(), true, "public", null)), set);
        System.out.print(table("PII on " + spans + " labelled spans, before (patterns only):", before));
        System.out.print(table("after (piiContext, ipAddresses all: the default):", after));
        System.out.print(table("after, for technical documentation (piiContext, ipAddresses public):", docs));

        assertTrue(before.get("CARD").fp() >= 5 && before.get("PHONE").fp() >= 10, "the patterns alone damage technical text");
        assertEquals(0, after.get("CARD").fp(), "no decimal, table row or id is a card");
        assertTrue(after.get("EMAIL").precision() >= 0.97 && after.get("EMAIL").recall() >= 0.97, after.toString());
        assertTrue(after.get("PHONE").precision() >= 0.9 && after.get("PHONE").recall() >= 0.9, after.toString());
        assertTrue(after.get("PHONE").recall() >= before.get("PHONE").recall(), "context loses no phone number");
        assertTrue(after.get("IP").precision() >= 0.6 && after.get("IP").recall() >= 0.95, after.toString());
        assertTrue(docs.get("IP").precision() > after.get("IP").precision() && docs.get("IP").recall() >= 0.95, docs.toString());
    }

    @Test
    void theIssuesExamplesStayAsTheyAre() {
        PiiRedactor r = new PiiRedactor(PiiSettings.defaults());
        for (String technical : List.of("develop | 11 | 5200 | 5020.0000000000000000", "San Francisco 46 50 0.25 1994-11-27",
                "https://groups.google.com/groups?selm=34A04430.CF9@ohioee.com", "constants (see Section 4.1.2.2); for",
                "© Copyright 2001-2026, Python Software Foundation.", "-rw------- 1 alvherre alvherre 1204224 sep 14 09:51 1249")) {
            assertEquals(technical, r.redact(technical));
        }
        assertEquals("Tel: <PHONE>, mail <EMAIL>, card <CARD>", r.redact("Tel: 01 46 42 43 02, mail niall@linux.ie, card 4111 1111 1111 1111"));
        assertTrue(r.keptByContext().get("CARD") >= 1 && r.keptByContext().get("PHONE") >= 2, r.keptByContext().toString());
    }

    @Test
    void aKnownRegionValidatesNationalNumbers() {
        PiiRedactor ie = new PiiRedactor(new PiiSettings(true, Map.of(), true, "all", "IE"));
        assertEquals("ring <PHONE> or <PHONE>", ie.redact("ring 01-6411600 or 087 618 1793"));
        assertEquals("order 12345678 shipped", ie.redact("order 12345678 shipped"), "not a number of the Irish plan");
    }
}
