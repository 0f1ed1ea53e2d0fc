package dev.tailor.dataprep.profile;

import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.filter.LanguageFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A profile of a dataset before training, per source and overall: records, drop rate per rule, duplicate share,
 * personal data found, language mix, the length of the kept examples in characters and (with a tokenizer) in tokens,
 * the share of examples longer than {@code maxSeqLength}, and a sufficiency note. Fed by {@code CleaningPipeline} when
 * one is attached ({@code CleaningPipeline#profile}); {@link #toMap()} is its JSON form (profile.json of
 * {@code tailor clean --profile}).
 *
 * <p>Sufficiency notes, each with its numbers: fewer than {@value #TOO_FEW} examples (too few to fine-tune) or fewer
 * than {@value #SMALL} (small); more than half of the records dropped (with the commonest rule); more than a fifth of
 * the answers cut off; more than a fifth of the examples over maxSeqLength; more than a third duplicates; no language
 * with four fifths of the examples; more than a quarter of the examples unrelated to the use case ({@link Relevance}).
 *
 * <p>Tokens are counted as training counts them when a {@link TokenCounter} is given (the base model's chat template
 * and tokenizer); without one, lengths are in characters and the profile says why ({@link #withoutTokenizer}).
 */
public final class DatasetProfile {
    static final int TOO_FEW = 100;
    static final int SMALL = 500;
    /** Prose below this many characters is too short to tell its language. */
    private static final int LANGUAGE_MIN_CHARS = 40;

    private final ToIntFunction<String> tokens;
    private final String tokenizer;
    /** Whether {@link #tokens} counts split lines (else texts). */
    private final boolean countsLines;
    private String noTokenizer = "no base model named: give one (baseModel, --base-model) to count tokens";
    private final int maxSeqLength;
    private final boolean languages;
    private Relevance relevance;
    private final Map<String, SourceProfile> sources = new LinkedHashMap<>();

    /**
     * @param tokens counts the tokens of a text with the base model's tokenizer, or null (lengths in characters only);
     *               the text of a chat is its message contents one after the other
     * @param maxSeqLength the training sequence length the examples are compared with
     * @param languages detect the language of every kept example (loads the language model)
     */
    public DatasetProfile(ToIntFunction<String> tokens, int maxSeqLength, boolean languages) {
        this(tokens == null ? null : new TokenCounter("a tokenizer (message contents only, no chat template)", tokens), maxSeqLength, languages, false);
    }

    /**
     * @param tokens counts the tokens of each example's split line as training renders it, or null (lengths in
     *               characters only)
     * @param maxSeqLength the training sequence length the examples are compared with
     * @param languages detect the language of every kept example (loads the language model)
     */
    public DatasetProfile(TokenCounter tokens, int maxSeqLength, boolean languages) {
        this(tokens, maxSeqLength, languages, true);
    }

    private DatasetProfile(TokenCounter tokens, int maxSeqLength, boolean languages, boolean lines) {
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("maxSeqLength must be at least 2, got " + maxSeqLength);
        }
        this.tokens = tokens == null ? null : tokens.count();
        this.tokenizer = tokens == null ? null : tokens.tokenizer();
        this.countsLines = lines;
        this.maxSeqLength = maxSeqLength;
        this.languages = languages;
    }

    /** Why there is no tokenizer (said in the profile next to the character figures). */
    public DatasetProfile withoutTokenizer(String why) {
        if (why != null && !why.isBlank()) {
            noTokenizer = why;
        }
        return this;
    }

    /** Also measures how close the examples are to a use case. */
    public DatasetProfile relevance(Relevance r) {
        this.relevance = r;
        return this;
    }

    /** The name of what counts tokens, or null when lengths are in characters. */
    public String tokenizer() {
        return tokenizer;
    }

    /** A record read from {@code file} (an archive entry counts for its archive). */
    public void read(String file) {
        source(file).read();
    }

    public void dropped(String file, String rule) {
        source(file).dropped(rule);
    }

    /** An example kept, with the personal data found in it per type. */
    public void kept(String file, Example e, Map<String, Long> pii) {
        kept(file, e, null, false, pii);
    }

    /**
     * An example kept, as written to its split ({@code line}), with the personal data found in it per type.
     *
     * @param train whether it went to the train split
     */
    public void kept(String file, Example e, String line, boolean train, Map<String, Long> pii) {
        String text = e.isChat() ? chatText(e.messages()) : e.text();
        String answer = e.isChat() ? e.messages().get(e.messages().size() - 1).content() : e.text();
        int count = tokens == null ? -1 : tokens.applyAsInt(countsLines && line != null ? line : text);
        String language = languages ? LanguageFilter.likeliest(e.isChat() ? text : e.text(), LANGUAGE_MIN_CHARS) : null;
        source(file).kept(text.length(), answer.length(), e.isChat(), count, maxSeqLength, language, pii, train);
        if (relevance != null) {
            relevance.add(sourceName(file), e);
        }
    }

    /** The message contents, one after the other (the chat template adds a few tokens a turn). */
    private static String chatText(List<Message> messages) {
        StringBuilder sb = new StringBuilder();
        for (Message m : messages) {
            sb.append(m.content()).append('\n');
        }
        return sb.toString();
    }

    private SourceProfile source(String file) {
        return sources.computeIfAbsent(sourceName(file), k -> new SourceProfile());
    }

    /** The source a file counts for (an archive entry counts for its archive). */
    private static String sourceName(String file) {
        int archive = file.indexOf('!');
        return archive < 0 ? file : file.substring(0, archive);
    }

    /** overall, sources (each as overall) and sufficiency. */
    public Map<String, Object> toMap() {
        SourceProfile all = overall();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer", tokens != null);
        m.put("lengthUnit", tokens != null ? "tokens" : "characters");
        if (tokens != null) {
            m.put("tokenizerName", tokenizer);
        } else {
            m.put("tokenizerNote", "lengths in characters, not tokens: " + noTokenizer);
        }
        Map<String, Object> overall = all.toMap(tokens != null, maxSeqLength);
        Map<String, Map<String, Object>> scores = relevance == null ? Map.of() : relevance.bySource();
        if (relevance != null) {
            overall.put("relevance", relevance.overall());
        }
        m.put("overall", overall);
        Map<String, Object> per = new LinkedHashMap<>();
        sources.forEach((file, p) -> {
            Map<String, Object> one = p.toMap(tokens != null, maxSeqLength);
            if (scores.containsKey(file)) {
                one.put("relevance", scores.get(file));
            }
            per.put(file, one);
        });
        m.put("sources", per);
        m.put("sufficiency", sufficiency());
        return m;
    }

    private SourceProfile overall() {
        SourceProfile all = new SourceProfile();
        sources.values().forEach(all::add);
        return all;
    }

    /** Notes on whether the data is enough and fits, each with its numbers; one note that all is well otherwise. */
    public List<String> sufficiency() {
        SourceProfile all = overall();
        List<String> notes = new ArrayList<>();
        if (all.kept < TOO_FEW) {
            notes.add(String.format("only %d examples: too few to fine-tune reliably; aim for at least a few hundred", all.kept));
        } else if (all.kept < SMALL) {
            notes.add(String.format("%d examples: a small dataset; expect a modest effect and keep the epochs low", all.kept));
        }
        if (all.records > 0 && all.droppedTotal() * 2 > all.records) {
            Map.Entry<String, Long> top = all.dropped.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            notes.add(String.format("%.0f%% of the records were dropped, most by %s (%d): check the input or the settings",
                    100.0 * all.droppedTotal() / all.records, top.getKey(), top.getValue()));
        }
        long answers = all.chats + all.truncatedAnswers;
        if (answers > 0 && all.truncatedAnswers * 5 > answers) {
            notes.add(String.format("%d of %d answers (%.0f%%) were cut off: the export truncates long fields; export them whole",
                    all.truncatedAnswers, answers, 100.0 * all.truncatedAnswers / answers));
        }
        if (all.kept > 0 && all.overMax * 5 > all.kept) {
            notes.add(String.format("%.0f%% of the examples are longer than maxSeqLength %d tokens%s and will be cut in training:"
                    + " raise maxSeqLength or split long answers", 100.0 * all.overMax / all.kept, maxSeqLength,
                    tokens == null ? " (estimated at four characters a token; give the base model's tokenizer to count)"
                            : " (" + tokenizer + ")"));
        }
        if (all.records > 0 && all.duplicates() * 3 > all.records) {
            notes.add(String.format("%.0f%% of the records are duplicates", 100.0 * all.duplicates() / all.records));
        }
        long known = all.languages.entrySet().stream().filter(e -> !e.getKey().equals("und")).mapToLong(Map.Entry::getValue).sum();
        long top = all.languages.entrySet().stream().filter(e -> !e.getKey().equals("und")).mapToLong(Map.Entry::getValue).max().orElse(0);
        if (known > 0 && top * 5 < known * 4) {
            notes.add("mixed languages " + all.languages + ": set language.languages to keep the ones the model should learn");
        }
        String offTopic = relevance == null ? null : relevance.note();
        if (offTopic != null) {
            notes.add(offTopic);
        }
        if (notes.isEmpty()) {
            notes.add(String.format("%d examples, %.0f%% dropped: enough to fine-tune", all.kept,
                    all.records == 0 ? 0 : 100.0 * all.droppedTotal() / all.records));
        }
        return notes;
    }
}
