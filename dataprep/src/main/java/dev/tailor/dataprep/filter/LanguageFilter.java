package dev.tailor.dataprep.filter;

import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.RecordRejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Set;
import java.util.TreeSet;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorModel;
import opennlp.tools.langdetect.ThreadSafeLanguageDetectorME;

/**
 * Drops examples written in a language outside {@link CleaningConfig#languages()} (rule {@code wrong-language}).
 *
 * <p><b>Detector.</b> Apache OpenNLP's language detector with its model {@value #MODEL} (character 1- to 3-grams,
 * maximum entropy, 103 languages), bundled in the jar {@code org.apache.opennlp:opennlp-models-langdetect}. The model
 * takes about 40 MB of heap; it is read once per JVM, on the first filter built, and shared by every filter and thread.
 * A configuration without languages never loads it (nor any OpenNLP class).
 *
 * <p><b>What is judged.</b> A chat's user messages together ("the question") and its assistant messages together
 * ("the answer"), each on its own, then both together ("the example": more text to tell by) unless both parts were
 * found in listed languages; the system prompt is not judged. A text example's text. Each part is judged on (the
 * first 1,000 characters of) its prose only: code lines, URLs, e-mail addresses, paths, numbers, identifiers and
 * all-capital words (SQL keywords, acronyms) are left out first. A part whose prose is shorter than
 * {@link CleaningConfig#languageMinChars()} is kept unjudged: too short to tell, or mostly code, URLs or numbers.
 *
 * <p><b>When it drops.</b> With p(L) the detector's probability of the likeliest language L outside the list and p(K)
 * that of the likeliest listed language K, the confidence that the part is in L rather than in K is
 * p(L) / (p(L) + p(K)). The part is dropped at a confidence of 2/3 or more, i.e. when L is at
 * least twice as likely as every listed language; anything less certain is kept. Individual languages of an ISO 639-1
 * macrolanguage count as it (Mandarin and Min Nan as zh, Iranian Persian as fa, ...), Swiss and Low German as de and
 * Asturian as es (the model confuses them with those on short text and ISO 639-1 has no code for them), and "no"
 * keeps Bokmål (nb) and Nynorsk (nn).
 *
 * <p><b>Mixed examples.</b> A German question with an English answer is dropped under {@code languages: ["en"]}: it
 * would teach the model to take German input, which the setting rules out. Translation or cross-lingual datasets list
 * every language they use, e.g. {@code ["en", "de"]}.
 */
public final class LanguageFilter {
    /** The OpenNLP model resource, at the root of the classpath. */
    static final String MODEL = "langdetect-183.bin";
    private static final double MIN_CONFIDENCE = 2.0 / 3;
    /** Prose characters read per part: plenty to tell a language by, and a bound on the cost of long documents. */
    private static final int MAX_SAMPLE = 500;
    /**
     * The model's ISO 639-3 codes that Locale maps to no ISO 639-1 code: the code of their macrolanguage, or for Swiss
     * German, Low German and Asturian that of the language the model confuses them with.
     */
    private static final Map<String, String> NEAREST = Map.ofEntries(Map.entry("cmn", "zh"), Map.entry("nan", "zh"),
            Map.entry("pes", "fa"), Map.entry("lvs", "lv"), Map.entry("ekk", "et"), Map.entry("plt", "mg"),
            Map.entry("pnb", "pa"), Map.entry("min", "ms"), Map.entry("gsw", "de"), Map.entry("nds", "de"),
            Map.entry("ast", "es"));

    private final List<String> languages;
    private final Set<String> kept;
    private final int minChars;

    /**
     * @param languages ISO 639-1 codes to keep (non-empty)
     * @param minChars parts with less prose than this are never dropped
     * @throws IllegalArgumentException when a listed language is one the detector does not know (it would then drop
     *     every example in that language as some other one)
     */
    public LanguageFilter(List<String> languages, int minChars) {
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("a language filter needs at least one language");
        }
        this.languages = List.copyOf(languages);
        this.kept = new HashSet<>(languages);
        if (kept.contains("no")) {
            kept.add("nb");
            kept.add("nn");
        }
        this.minChars = Math.max(1, minChars);
        Set<String> unknown = new TreeSet<>(languages);
        unknown.removeAll(Detector.CODES.values());
        unknown.remove("no");
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("languages " + unknown + " are not among the " + Detector.CODES.size()
                    + " languages the detector knows " + new TreeSet<>(Detector.CODES.values())
                    + "; remove them, or set languages to [] to keep every language");
        }
    }

    /** Throws {@link RecordRejected} ("wrong-language") when a part of {@code e} is confidently in an unlisted language. */
    public void check(Example e) {
        if (!e.isChat()) {
            judge("the text", e.text());
            return;
        }
        String question = text(e, "user");
        String answer = text(e, "assistant");
        double a = judge("the answer", answer);
        double q = judge("the question", question);
        boolean bothListed = a >= 0 && a < 0.5 && q >= 0 && q < 0.5;
        if (!bothListed && !question.isEmpty() && !answer.isEmpty()) {
            judge("the example", question + answer);
        }
    }

    private static String text(Example e, String role) {
        StringBuilder sb = new StringBuilder();
        for (Message m : e.messages()) {
            if (m.role().equals(role)) {
                sb.append(m.content()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The confidence that {@code text} is in an unlisted language rather than a listed one (below 0.5: a listed
     * language is likeliest), or -1 when it has too little prose to judge; throws when it reaches {@link #MIN_CONFIDENCE}.
     */
    private double judge(String part, String text) {
        if (text.length() < minChars) {
            return -1;
        }
        String prose = prose(text);
        if (prose.length() < minChars) {
            return -1;
        }
        Map<String, Double> p = Detector.probabilities(prose.length() > MAX_SAMPLE ? prose.substring(0, MAX_SAMPLE) : prose);
        String closest = null;
        double pKept = 0;
        List<Map.Entry<String, Double>> unlisted = new ArrayList<>();
        for (Map.Entry<String, Double> l : p.entrySet()) {
            if (!kept.contains(l.getKey())) {
                unlisted.add(l);
            } else if (l.getValue() > pKept) {
                closest = l.getKey();
                pKept = l.getValue();
            }
        }
        if (unlisted.isEmpty()) {
            return 0;
        }
        unlisted.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        double pOther = unlisted.get(0).getValue();
        double confidence = pOther / (pOther + pKept);
        if (confidence < MIN_CONFIDENCE) {
            return confidence;
        }
        // the model tells close relatives (Spanish and Galician) apart less surely: name a runner-up within 80% of the first
        List<String> codes = new ArrayList<>(List.of(unlisted.get(0).getKey()));
        if (unlisted.size() > 1 && 10 * unlisted.get(1).getValue() >= 8 * pOther) {
            codes.add(unlisted.get(1).getKey());
        }
        List<String> named = codes.stream().map(c -> name(c) + " (" + c + ")").toList();
        List<String> listable = codes.stream().filter(c -> c.length() == 2).map(c -> "\"" + c + "\"").toList();
        String fix = listable.isEmpty()
                ? "it has no ISO 639-1 code: set languages to [] to keep every language"
                : "to keep such examples, add " + String.join(" or ", listable) + " to languages";
        throw new RecordRejected("wrong-language", String.format(Locale.ROOT,
                "%s is in %s: confidence %.2f against the likeliest kept language, %s; languages=%s; %s",
                part, String.join(" or ", named), confidence, closest, languages, fix));
    }

    private static String name(String code) {
        String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
        return name.isEmpty() || name.equals(code) ? code : name;
    }

    /**
     * The natural-language words of {@code text}, space-separated: lines inside ``` fences and lines where at most half
     * the tokens (those with a letter or digit) are words are left out, and so is every token that is not a word (see
     * {@link #word}).
     */
    static String prose(String text) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : text.split("\n")) {
            String s = line.strip();
            if (s.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced || s.isEmpty()) {
                continue;
            }
            StringBuilder words = new StringBuilder();
            int tokens = 0;
            int n = 0;
            for (String t : s.split("\\s+")) {
                if (t.codePoints().noneMatch(Character::isLetterOrDigit)) {
                    continue; // a lone quote, dash, bullet or operator
                }
                tokens++;
                String w = word(t);
                if (w != null) {
                    words.append(w).append(' ');
                    n++;
                }
            }
            if (2 * n > tokens) {
                out.append(words);
            }
        }
        return out.toString().strip();
    }

    private static final String OPENING = "([{\"'«‹“„‘‚¿¡*•+";
    private static final String CLOSING = ")]}\"'»›”’“….,;:!?";

    /**
     * {@code token} without the quotes, brackets and punctuation around it when it is a word: letters (and marks),
     * with apostrophes or hyphens only between them, no capital inside a part between those (so not SQLite, getName,
     * SELECT or GUI-Sitzung, but root-Passwort),
     * no ASCII symbols or digits (URLs, paths, e-mail addresses, numbers, identifiers, operators). Punctuation of
     * other scripts may stand inside, as in Chinese or Japanese sentences written without spaces. Null otherwise.
     */
    static String word(String token) {
        int b = 0;
        int e = token.length();
        while (b < e && OPENING.indexOf(token.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && CLOSING.indexOf(token.charAt(e - 1)) >= 0) {
            e--;
        }
        if (b == e) {
            return null;
        }
        int letters = 0;
        int segment = b;
        for (int i = b; i < e; i++) {
            char c = token.charAt(i);
            int type = Character.getType(c);
            if (Character.isLetter(c)) {
                letters++;
                if (i > segment && Character.isUpperCase(c)) {
                    return null;
                }
            } else if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK) {
                continue;
            } else if ((c == '\'' || c == '’' || c == '-') && i > b && i < e - 1) {
                segment = i + 1;
            } else if (c < 0x80 || Character.isDigit(c) || !isPunctuation(type)) {
                return null;
            }
        }
        return letters == 0 ? null : token.substring(b, e);
    }

    private static boolean isPunctuation(int type) {
        return type == Character.OTHER_PUNCTUATION || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.DASH_PUNCTUATION || type == Character.CONNECTOR_PUNCTUATION;
    }

    /**
     * The likeliest language of {@code text} (ISO 639-1 where it has one), judged on its prose (code, URLs and numbers
     * left out), or {@code "und"} when it has less than {@code minChars} characters of prose. Loads the model on first use.
     */
    public static String likeliest(String text, int minChars) {
        String prose = prose(text);
        if (prose.length() < Math.max(1, minChars)) {
            return "und";
        }
        Map<String, Double> p = Detector.probabilities(prose.length() > MAX_SAMPLE ? prose.substring(0, MAX_SAMPLE) : prose);
        return p.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("und");
    }

    /** Reads the bundled model; used once by {@link Detector} (and by the cost benchmark to weigh it). */
    static LanguageDetectorModel loadModel() {
        try (InputStream in = LanguageFilter.class.getResourceAsStream("/" + MODEL)) {
            if (in == null) {
                throw new IllegalStateException("the language model " + MODEL + " is not on the classpath: add the jar"
                        + " org.apache.opennlp:opennlp-models-langdetect");
            }
            return new LanguageDetectorModel(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the language model " + MODEL, e);
        }
    }

    /** The shared detector: the JVM initializes this class, and so reads the model, once, on first use. */
    private static final class Detector {
        static final ThreadSafeLanguageDetectorME INSTANCE = new ThreadSafeLanguageDetectorME(loadModel());
        /** The model's ISO 639-3 codes → ISO 639-1 (or the ISO 639-3 code itself where there is none). */
        static final Map<String, String> CODES = codes(INSTANCE.getSupportedLanguages());

        private static Map<String, String> codes(String[] supported) {
            Map<String, String> twoLetter = new HashMap<>();
            for (String l : Locale.getISOLanguages()) {
                try {
                    twoLetter.put(new Locale(l).getISO3Language(), l);
                } catch (MissingResourceException e) {
                    // a two-letter code without a three-letter one: nothing the model can return
                }
            }
            twoLetter.putAll(NEAREST);
            Map<String, String> codes = new HashMap<>();
            for (String l : supported) {
                codes.put(l, twoLetter.getOrDefault(l, l));
            }
            return Map.copyOf(codes);
        }

        /**
         * Probability of each language (ISO 639-1 where it has one): that of its likeliest model language. Not their
         * sum: on short text the model spreads its probability thinly, and summing would favour codes with many.
         */
        static Map<String, Double> probabilities(String text) {
            Map<String, Double> p = new HashMap<>();
            for (Language l : INSTANCE.predictLanguages(text)) {
                p.merge(CODES.getOrDefault(l.getLang(), l.getLang()), l.getConfidence(), Math::max);
            }
            return p;
        }
    }
}
