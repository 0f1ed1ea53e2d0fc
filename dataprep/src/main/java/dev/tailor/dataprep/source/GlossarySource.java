package dev.tailor.dataprep.source;

import dev.tailor.dataprep.example.Notes;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A glossary (CSV or TSV with a header: term, plain-language explanation, synonyms) as training examples, so that a
 * model learns an organisation's jargon: each term is asked about in {@value #PHRASINGS} ways ("What is …?", "What
 * does … mean?", "Can you explain … in simple terms?") and answered with its explanation; each synonym (up to
 * {@value #MAX_SYNONYMS}, separated by ';', '|' or ',') is asked about and answered as another name for the term, and
 * asked whether it is the same as the term. Column names: term (or word, name, concept), explanation (or definition,
 * meaning, description), synonyms (or aliases, also known as). Every example is flagged {@link #FLAG}: their questions
 * and answers are alike on purpose, so near- and semantic-duplicate removal leaves them alone (exact duplicates go).
 * A row without a term or an explanation is rejected naming the line.
 */
public final class GlossarySource implements Iterator<ParseResult> {
    /** The flag on every glossary example. */
    public static final String FLAG = "glossary";
    /** The metadata field of a glossary example that holds its term, as written in the glossary. */
    public static final String TERM_FIELD = "term";
    static final int PHRASINGS = 3;
    static final int MAX_SYNONYMS = 5;
    private static final List<String> TERM = List.of("term", "word", "name", "concept", "keyword");
    private static final List<String> EXPLANATION = List.of("explanation", "plain-language explanation", "definition", "meaning",
            "description", "plain language", "explained");
    private static final List<String> SYNONYMS = List.of("synonyms", "synonym", "aliases", "alias", "also known as", "related");

    private final String file;
    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final String termColumn;
    private final String explanationColumn;
    private final String synonymsColumn;
    private final Notes notes;
    private final Deque<ParseResult> ready = new ArrayDeque<>();

    GlossarySource(InputStream in, String file, char delimiter, Notes notes) {
        this.file = file;
        this.notes = notes;
        try {
            this.parser = CSVFormat.RFC4180.builder().setDelimiter(delimiter).setHeader().setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true).setTrim(true).setAllowMissingColumnNames(true).get()
                    .parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the glossary header of " + file + ": " + e.getMessage(), e);
        }
        Map<String, Integer> header = parser.getHeaderMap();
        this.termColumn = column(header, TERM);
        this.explanationColumn = column(header, EXPLANATION);
        this.synonymsColumn = column(header, SYNONYMS);
        this.rows = parser.iterator();
        if (termColumn == null || explanationColumn == null) {
            ready.add(ParseResult.rejected(SourceRef.line(file, 1), "malformed-glossary", "a glossary needs a term column ("
                    + TERM + ") and an explanation column (" + EXPLANATION + "); its header is " + header.keySet(), null));
        }
    }

    /** Whether {@code file} (an archive entry too) is named as a glossary ({@code examples.glossaryFiles}). */
    static boolean isGlossary(String file, List<String> names) {
        String base = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('!')) + 1).toLowerCase(Locale.ROOT);
        return names.stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(base));
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && termColumn != null && explanationColumn != null && rows.hasNext()) {
            CSVRecord r = rows.next();
            SourceRef src = SourceRef.line(file, parser.getCurrentLineNumber());
            String term = value(r, termColumn);
            String explanation = value(r, explanationColumn);
            if (term.isEmpty() || explanation.isEmpty()) {
                ready.add(ParseResult.rejected(src, "empty-field", "a glossary row needs a term and an explanation ("
                        + (term.isEmpty() ? "the term is empty" : "'" + term + "' has no explanation") + ")", String.join(",", r.values())));
                continue;
            }
            List<String> synonyms = synonyms(synonymsColumn == null ? "" : value(r, synonymsColumn));
            List<Example> examples = examples(term, explanation, synonyms, src);
            notes.note("glossary.terms", src.toString(), examples.size() + " examples for '" + term + "'", term);
            examples.forEach(e -> ready.add(ParseResult.ok(e, false)));
        }
        return !ready.isEmpty();
    }

    @Override
    public ParseResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** The examples of one term. */
    static List<Example> examples(String term, String explanation, List<String> synonyms, SourceRef src) {
        String t = spoken(term);
        List<Example> out = new ArrayList<>();
        for (String q : List.of("What is " + t + "?", "What does \"" + t + "\" mean?", "Can you explain " + t + " in simple terms?")) {
            out.add(example(q, explanation, src, term));
        }
        for (String s : synonyms.subList(0, Math.min(MAX_SYNONYMS, synonyms.size()))) {
            String alias = spoken(s);
            out.add(example("What is " + alias + "?", capitalized(alias) + " is another name for " + t + ". " + explanation, src,
                    term));
            out.add(example("Is " + alias + " the same as " + t + "?", "Yes. " + capitalized(alias) + " and " + t
                    + " are two names for the same thing. " + explanation, src, term));
        }
        return out;
    }

    /** The example, flagged as a glossary's, with its term as metadata (a training job may add it as a token). */
    private static Example example(String question, String answer, SourceRef src, String term) {
        return new Example(List.of(new Message("user", question), new Message("assistant", answer)), null, src, List.of(FLAG))
                .withMetadata(Map.of(TERM_FIELD, term));
    }

    /**
     * The term as said in a question: without a trailing qualifier in parentheses ("Aggregate function (routine)" →
     * "aggregate function"), lower-cased unless it is an acronym or a name with capitals inside.
     */
    static String spoken(String term) {
        String t = term.replaceAll("\\s*\\([^)]*\\)\\s*$", "").strip();
        if (t.length() > 1 && Character.isUpperCase(t.charAt(0)) && t.chars().skip(1).noneMatch(Character::isUpperCase)) {
            return Character.toLowerCase(t.charAt(0)) + t.substring(1);
        }
        return t;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static List<String> synonyms(String cell) {
        List<String> out = new ArrayList<>();
        for (String s : cell.split("[;|,]")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    private static String column(Map<String, Integer> header, List<String> names) {
        for (String name : names) {
            for (String h : header.keySet()) {
                if (h.replace("\uFEFF", "").strip().equalsIgnoreCase(name)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static String value(CSVRecord r, String column) {
        return r.isMapped(column) && r.isSet(column) ? r.get(column).strip() : "";
    }
}
