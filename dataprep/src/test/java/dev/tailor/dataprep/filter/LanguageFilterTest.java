package dev.tailor.dataprep.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language filter on real text: Debian Reference paragraphs in four languages and the support FAQ (see data/lang/README.md). */
class LanguageFilterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final CleaningConfig ENGLISH = CleaningConfig.fromJson("{\"languages\":[\"en\"]}");

    static String resource(String name) {
        try (InputStream in = LanguageFilterTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> paragraphs(String lang) {
        return List.of(resource("/data/lang/debian-reference." + lang + ".txt").split("\n"));
    }

    static Example text(String t) {
        return Example.text(t, SourceRef.line("lang.txt", 1));
    }

    static Example chat(String question, String answer) {
        return Example.chat(List.of(new Message("system", "You answer questions about Debian."), new Message("user", question),
                new Message("assistant", answer)), SourceRef.line("lang.jsonl", 1));
    }

    static RecordRejected dropped(QualityFilter q, Example e) {
        RecordRejected r = assertThrows(RecordRejected.class, () -> q.check(e), () -> "kept: " + e.allText());
        assertEquals("wrong-language", r.rule(), r.getMessage());
        return r;
    }

    @Test
    void englishIsKeptAndGermanFrenchSpanishAreDropped() {
        QualityFilter q = new QualityFilter(ENGLISH);
        List<String> en = paragraphs("en");
        for (String p : en) {
            q.check(text(p));
        }
        for (int i = 0; i + 1 < en.size(); i += 2) {
            q.check(chat(en.get(i), en.get(i + 1)));
        }
        // Every text with 80 characters of prose or more is dropped. Below that the model is less sure (its
        // probabilities flatten) and the filter keeps what it cannot tell: 5 of the 33 German paragraphs, 2 French, 2 Spanish.
        for (String lang : List.of("de", "fr", "es")) {
            List<String> ps = paragraphs(lang);
            assertEquals(en.size(), ps.size());
            int drops = 0;
            for (String p : ps) {
                if (longProse(p)) {
                    dropped(q, text(p));
                }
                try {
                    q.check(text(p));
                } catch (RecordRejected r) {
                    assertTrue(r.getMessage().startsWith("the text is in "), r.getMessage());
                    drops++;
                }
            }
            assertTrue(drops >= 28, lang + ": " + drops + " of " + ps.size() + " dropped");
            int chatDrops = 0;
            for (int i = 0; i + 1 < ps.size(); i += 2) {
                Example e = chat(ps.get(i), ps.get(i + 1));
                if (longProse(ps.get(i)) || longProse(ps.get(i + 1))) {
                    String reason = dropped(q, e).getMessage();
                    assertTrue(reason.contains(new Locale(lang).getDisplayLanguage(Locale.ENGLISH) + " (" + lang + ")"), reason);
                }
                try {
                    q.check(e);
                } catch (RecordRejected r) {
                    chatDrops++;
                }
            }
            assertTrue(chatDrops >= 15, lang + ": " + chatDrops + " of 16 chats dropped");
        }
    }

    static boolean longProse(String text) {
        return LanguageFilter.prose(text).length() >= 80;
    }

    @Test
    void theReasonNamesTheLanguageItsConfidenceTheListAndTheFix() {
        String reason = dropped(new QualityFilter(ENGLISH), text(paragraphs("de").get(0))).getMessage();
        assertTrue(reason.startsWith("the text is in German (de): confidence "), reason);
        double confidence = Double.parseDouble(reason.replaceAll(".*confidence ([0-9.]+).*", "$1"));
        assertTrue(confidence >= 2.0 / 3 && confidence <= 1, reason);
        assertTrue(reason.endsWith("likeliest kept language, en; languages=[en]; to keep such examples, add \"de\" to languages"), reason);
    }

    @Test
    void listedLanguagesAreKept() {
        QualityFilter q = new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"de\",\"fr\",\"es\"]}"));
        for (String lang : List.of("de", "fr", "es")) {
            for (String p : paragraphs(lang)) {
                q.check(text(p));
            }
        }
        String reason = dropped(q, text(paragraphs("en").get(0))).getMessage();
        assertTrue(reason.startsWith("the text is in English (en)") && reason.contains("languages=[de, fr, es]"), reason);
    }

    @Test
    void theFilterIsOffByDefault() {
        assertTrue(CleaningConfig.defaults().language().languages().isEmpty());
        assertEquals(40, CleaningConfig.defaults().language().languageMinChars());
        QualityFilter q = new QualityFilter(CleaningConfig.defaults());
        for (String lang : List.of("en", "de", "fr", "es")) {
            for (String p : paragraphs(lang)) {
                q.check(text(p));
            }
        }
    }

    @Test
    void textsShorterThanLanguageMinCharsAreKept() {
        QualityFilter q = new QualityFilter(ENGLISH);
        String[] headings = resource("/data/lang/debian-reference-headings.tsv").split("\n");
        assertEquals(11, headings.length);
        for (String line : headings) {
            String heading = line.split("\t")[1];
            assertTrue(heading.length() < 40, heading);
            q.check(text(heading));
        }
        QualityFilter longOnly = new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"en\"],\"languageMinChars\":300}"));
        int judged = 0;
        for (String p : paragraphs("de")) {
            if (p.length() < 300) {
                longOnly.check(text(p));
            } else {
                dropped(longOnly, text(p));
                judged++;
            }
        }
        assertTrue(judged > 0);
    }

    @Test
    void codeHeavyTextIsNotDroppedAsAnotherLanguage(@TempDir Path out) throws IOException {
        // the support FAQ (SQLite FAQ answers, mailing-list replies with shell commands and rpm output) under ["en"]
        CleaningResult r = run(ENGLISH, out, "support.jsonl", resource("/data/support-faq-40.jsonl"));
        JsonNode counts = JSON.readTree(r.report().toFile()).get("counts");
        assertNull(counts.get("dropped.wrong-language"), counts.toString());

        // SQL alone, from the SQLite FAQ, under a list without English: no prose, so nothing to judge
        StringBuilder sql = new StringBuilder();
        for (Element pre : Jsoup.parse(resource("/data/sqlite-faq-extract.html")).select("pre")) {
            sql.append(pre.wholeText());
        }
        assertTrue(sql.toString().contains("INSERT INTO t1 VALUES((SELECT max(a) FROM t1)+1,123);"), sql.toString());
        assertEquals("", LanguageFilter.prose(sql.toString()));
        QualityFilter german = new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"de\"]}"));
        german.check(text(sql.toString()));
        german.check(chat(paragraphs("de").get(0), sql.toString()));
    }

    @Test
    void proseLeavesOutCodeUrlsNumbersAndIdentifiers() {
        assertEquals("Maybe this will help you", LanguageFilter.prose("Maybe this will help you :\n\n[root@python apg]# rpm -e apg\n"
                + "[root@python apg]# rpm -ivh apg-1.2.13-fr1.i386.rpm"));
        assertEquals("Das System startet mit einer Grußnachricht die in Message Of The Day Meldung des Tages gespeichert ist",
                LanguageFilter.prose("Das System startet mit einer Grußnachricht, die in \"/etc/motd\" (Message Of The Day, Meldung des Tages) gespeichert ist"));
        assertEquals("", LanguageFilter.prose("```\nfind / -xdev -type f -exec du -sk {} \\; | sort -rn | head -5\n```\nhttps://www.sqlite.org/faq.html 9223372036854775807"));
        assertEquals("l’invite d’identification", LanguageFilter.prose("« l’invite d’identification »"));
        assertNull(LanguageFilter.word("sqlite3_last_insert_rowid()"));
        assertNull(LanguageFilter.word("SQLITE_SCHEMA"));
        assertNull(LanguageFilter.word("SELECT"));
        assertNull(LanguageFilter.word("jmorzins@mit.edu"));
        assertEquals("Kleinbuchstaben", LanguageFilter.word("Kleinbuchstaben."));
    }

    @Test
    void aMixedExampleIsDroppedUnlessBothLanguagesAreListed() {
        String question = paragraphs("de").get(2);
        String answer = paragraphs("en").get(2);
        String reason = dropped(new QualityFilter(ENGLISH), chat(question, answer)).getMessage();
        assertTrue(reason.startsWith("the question is in German (de)"), reason);
        new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"en\",\"de\"]}")).check(chat(question, answer));
        reason = dropped(new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"de\"]}")), chat(question, answer)).getMessage();
        assertTrue(reason.startsWith("the answer is in English (en)"), reason);
    }

    @Test
    void theSystemPromptIsNotJudged() {
        Example e = Example.chat(List.of(new Message("system", paragraphs("fr").get(0)), new Message("user", paragraphs("en").get(0)),
                new Message("assistant", paragraphs("en").get(1))), SourceRef.line("lang.jsonl", 1));
        new QualityFilter(ENGLISH).check(e);
    }

    @Test
    void aLanguageTheDetectorDoesNotKnowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"en\",\"yo\"]}")));
        assertTrue(e.getMessage().startsWith("languages [yo] are not among the "), e.getMessage());
        new QualityFilter(CleaningConfig.fromJson("{\"languages\":[\"no\",\"zh\",\"fa\"]}"));
    }

    @Test
    void thePipelineCountsWrongLanguageDrops(@TempDir Path out) throws IOException {
        List<String> lines = new ArrayList<>(List.of(resource("/data/support-faq-40.jsonl").split("\n")));
        int english = lines.size();
        int foreign = 0;
        for (String lang : List.of("de", "fr", "es")) {
            List<String> ps = paragraphs(lang);
            for (int i = 0; i + 1 < ps.size(); i += 2) {
                if (!longProse(ps.get(i)) && !longProse(ps.get(i + 1))) {
                    continue;
                }
                ObjectNode ex = JSON.createObjectNode();
                ArrayNode msgs = ex.putArray("messages");
                msgs.addObject().put("role", "user").put("content", ps.get(i));
                msgs.addObject().put("role", "assistant").put("content", ps.get(i + 1));
                lines.add(JSON.writeValueAsString(ex));
                foreign++;
            }
        }
        CleaningResult off = run(CleaningConfig.defaults(), out.resolve("off"), "mixed.jsonl", String.join("\n", lines) + "\n");
        CleaningResult on = run(ENGLISH, out.resolve("on"), "mixed.jsonl", String.join("\n", lines) + "\n");

        JsonNode report = JSON.readTree(on.report().toFile());
        assertEquals(foreign, report.get("counts").get("dropped.wrong-language").asLong(), report.get("counts").toString());
        assertEquals(off.kept() - foreign, on.kept());
        assertTrue(off.kept() >= english, off.toString());
        assertFalse(JSON.readTree(off.report().toFile()).get("counts").has("dropped.wrong-language"));
        JsonNode first = null;
        for (JsonNode d : report.get("dropped")) {
            if (first == null && d.get("rule").asText().equals("wrong-language")) {
                first = d;
            }
        }
        assertEquals(english + 1, first.get("line").asInt());
        assertTrue(first.get("reason").asText().startsWith("the answer is in German (de)"), first.toString());
    }

    static CleaningResult run(CleaningConfig cfg, Path out, String file, String content) {
        CleaningPipeline p = new CleaningPipeline(cfg, out);
        p.add(file, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), null);
        return p.finish(Map.of("datasetId", "ds-lang"));
    }
}
