package dev.tailor.cleaning.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every cleaning rule's settings. Read from JSON where any key may be left out (defaults apply), e.g.
 * {@code {"trainRatio":0.9,"validationRatio":0.05,"testRatio":0.05,"redactPii":false}}.
 *
 * @param trainRatio share of examples in train.jsonl (0..1); the three ratios sum to 1
 * @param validationRatio share in validation.jsonl
 * @param testRatio share in test.jsonl
 * @param systemPrompt system message prepended to every chat example that has none (null = none)
 * @param fieldMapping source field names for {@code prompt}, {@code completion}, {@code context},
 *     {@code system}, {@code messages}, {@code text}; unmapped roles use the common names
 * @param redactPii replace e-mail, phone, card, IBAN and IP with typed placeholders
 * @param piiPatterns extra patterns, placeholder name → Java regex
 * @param repairMojibake repair UTF-8 decoded as Latin-1/windows-1252 when safe
 * @param nearDuplicates drop near-duplicates (MinHash + LSH) within the dataset
 * @param nearDuplicateThreshold estimated Jaccard similarity of word 3-gram sets at or above which two examples are near-duplicates
 * @param minChars minimum characters of the answer (or text) to keep an example
 * @param maxChars maximum characters of an example's text
 * @param maxRepetition maximum share of repeated word 3-grams in an example's text (0..1)
 * @param maxSymbolRatio maximum share of characters that are neither letters, digits nor whitespace
 * @param maxLineBytes a longer input line is dropped unread
 * @param samplesPerRule examples kept per rule in the report
 * @param maxDroppedListed dropped records listed one by one in the report; the rest are only counted
 * @param textChunkChars target size of a document chunk for {@code {"text"}} examples
 * @param csvDelimiter CSV delimiter; null = detect (comma, tab, semicolon, pipe)
 * @param maxArchiveDepth archives inside archives deeper than this are refused
 * @param maxArchiveBytes bytes all archives of a run may expand to (archive-bomb guard)
 * @param maxArchiveEntries entries all archives of a run may hold
 * @param maxArchiveRatio expanded/compressed ratio above which an archive is a bomb (checked past 64 MiB)
 * @param maxDocumentBytes largest e-mail message or HTML document read whole, and the most characters of text
 *     taken from one office document or PDF (the rest is cut and reported as document-truncated)
 * @param maxOpenThreads e-mail messages remembered while waiting for their replies
 * @param detectSwappedRoles drop examples whose answer is a short question and whose question is not one
 * @param nearDuplicateIndexSize kept examples remembered for near-duplicate search (about 200 bytes each,
 *     in a memory-mapped temporary file, not on the heap); later examples are still checked against them
 *     but not added, which bounds the disk used on huge inputs
 * @param fields what to do when a source field is missing or empty, field name → policy (see FieldPolicy)
 * @param spamFilter drop e-mail messages and ticket messages that the content classifier (SpamBayes-style
 *     chi-square combining, trained on the SpamAssassin public corpus) calls spam, besides those flagged by
 *     X-Spam-Flag headers
 * @param spamThreshold spam probability at or above which a message is dropped (0..1)
 * @param languages ISO 639-1 codes of the languages to keep (e.g. ["en", "de"]); empty = keep every language
 * @param languageMinChars texts shorter than this are never dropped by the language filter (too short to tell)
 * @param semanticDuplicates also drop examples whose sentence embedding (all-MiniLM-L6-v2, local) is
 *     near an earlier example's: catches paraphrases that share few word 3-grams
 * @param semanticDuplicateThreshold cosine similarity of embeddings at or above which two examples are duplicates
 * @param carryOverSplits an example that equals or near-duplicates an example of the previous version of
 *     the dataset keeps that example's split (no test example of one version is trained on in the next)
 * @param emailThreads how an e-mail thread becomes examples: "pairs" (each message → reply as user →
 *     assistant) or "conversations" (each path from the first message to a last reply as one multi-turn
 *     example; the first message's sender is the user)
 * @param maxThreadBytes bytes of e-mail text (as held in memory) remembered while waiting for replies, besides
 *     the maxOpenThreads count: the oldest messages are forgotten first, so the heap stays bounded on big mailboxes
 */
public record CleaningConfig(
        double trainRatio, double validationRatio, double testRatio,
        String systemPrompt, Map<String, String> fieldMapping,
        boolean redactPii, Map<String, String> piiPatterns, boolean repairMojibake,
        boolean nearDuplicates, double nearDuplicateThreshold,
        int minChars, int maxChars, double maxRepetition, double maxSymbolRatio,
        int maxLineBytes, int samplesPerRule, int maxDroppedListed, int textChunkChars, String csvDelimiter,
        int maxArchiveDepth, long maxArchiveBytes, int maxArchiveEntries, double maxArchiveRatio,
        int maxDocumentBytes, int maxOpenThreads, boolean detectSwappedRoles,
        int nearDuplicateIndexSize, Map<String, FieldPolicy> fields,
        boolean spamFilter, double spamThreshold, List<String> languages, int languageMinChars,
        boolean semanticDuplicates, double semanticDuplicateThreshold, boolean carryOverSplits, String emailThreads,
        long maxThreadBytes) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();

    public CleaningConfig {
        fieldMapping = fieldMapping == null ? Map.of() : Map.copyOf(fieldMapping);
        piiPatterns = piiPatterns == null ? Map.of() : Map.copyOf(piiPatterns);
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(fields)); // applied in name order
        languages = languages == null ? List.of() : languages.stream().map(l -> l.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        for (String l : languages) {
            if (!l.matches("[a-z]{2}")) {
                throw new IllegalArgumentException("languages must be ISO 639-1 codes such as \"en\" or \"de\", got '" + l + "'");
            }
        }
        emailThreads = emailThreads == null ? EmailThreads.PAIRS : emailThreads.strip().toLowerCase(java.util.Locale.ROOT);
        if (!emailThreads.equals(EmailThreads.PAIRS) && !emailThreads.equals(EmailThreads.CONVERSATIONS)) {
            throw new IllegalArgumentException("emailThreads must be \"pairs\" or \"conversations\", got '" + emailThreads + "'");
        }
        if (spamThreshold <= 0 || spamThreshold > 1) {
            throw new IllegalArgumentException("spamThreshold must be in (0, 1], got " + spamThreshold);
        }
        if (languageMinChars < 0) {
            throw new IllegalArgumentException("languageMinChars must be >= 0, got " + languageMinChars);
        }
        if (semanticDuplicateThreshold <= 0 || semanticDuplicateThreshold > 1) {
            throw new IllegalArgumentException("semanticDuplicateThreshold must be in (0, 1], got " + semanticDuplicateThreshold);
        }
        for (double r : new double[] {trainRatio, validationRatio, testRatio}) {
            if (r < 0 || r > 1) {
                throw new IllegalArgumentException("split ratios must be between 0 and 1, got train=" + trainRatio
                        + " validation=" + validationRatio + " test=" + testRatio);
            }
        }
        if (Math.abs(trainRatio + validationRatio + testRatio - 1.0) > 1e-6) {
            throw new IllegalArgumentException("trainRatio + validationRatio + testRatio must sum to 1, got "
                    + (trainRatio + validationRatio + testRatio));
        }
        if (nearDuplicateThreshold <= 0 || nearDuplicateThreshold > 1) {
            throw new IllegalArgumentException("nearDuplicateThreshold must be in (0, 1], got " + nearDuplicateThreshold);
        }
        if (minChars < 0 || maxChars < minChars) {
            throw new IllegalArgumentException("need 0 <= minChars <= maxChars, got minChars=" + minChars + " maxChars=" + maxChars);
        }
        if (maxLineBytes < 1024) {
            throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + maxLineBytes);
        }
        if (maxArchiveDepth < 0 || maxArchiveBytes < 0 || maxArchiveEntries < 0 || maxArchiveRatio < 1) {
            throw new IllegalArgumentException("archive limits must be non-negative (maxArchiveRatio >= 1)");
        }
        if (maxDocumentBytes < 1024 || maxOpenThreads < 0 || maxThreadBytes < 0) {
            throw new IllegalArgumentException("maxDocumentBytes must be at least 1024, maxOpenThreads and maxThreadBytes >= 0");
        }
        if (textChunkChars < 100) {
            throw new IllegalArgumentException("textChunkChars must be at least 100, got " + textChunkChars);
        }
        for (Map.Entry<String, String> e : piiPatterns.entrySet()) {
            if (!e.getKey().matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("piiPatterns names must be identifiers (letters, digits, _), got '" + e.getKey() + "'");
            }
            java.util.regex.Pattern.compile(e.getValue());
        }
    }

    public static CleaningConfig defaults() {
        return new CleaningConfig(0.8, 0.1, 0.1, null, Map.of(), true, Map.of(), true, true, 0.85,
                2, 32_000, 0.5, 0.5, 8 * 1024 * 1024, 5, 100_000, 2_000, null,
                2, 8L * 1024 * 1024 * 1024, 100_000, 200, 32 * 1024 * 1024, 200_000, true, 50_000_000, Map.of(),
                true, 0.99, List.of(), 40, false, 0.85, true, EmailThreads.PAIRS,
                64L * 1024 * 1024);
    }

    /** Defaults overridden by every key present in {@code json}; unknown keys are an error. */
    public static CleaningConfig fromJson(String json) {
        try {
            JsonNode user = MAPPER.readTree(json == null || json.isBlank() ? "{}" : json);
            return merge(defaults(), user);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cleaning config is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code base} overridden by every key present in {@code overrides}. */
    public static CleaningConfig merge(CleaningConfig base, JsonNode overrides) {
        ObjectNode node = MAPPER.valueToTree(base);
        if (overrides != null && overrides.isObject()) {
            overrides.fields().forEachRemaining(e -> {
                if (!node.has(e.getKey())) {
                    throw new IllegalArgumentException("unknown cleaning setting '" + e.getKey() + "'; known: " + node.properties().stream().map(Map.Entry::getKey).toList());
                }
                node.set(e.getKey(), e.getValue());
            });
        }
        try {
            return MAPPER.treeToValue(node, CleaningConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cleaning config: " + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> asMap() {
        return MAPPER.convertValue(this, TreeMap.class);
    }

    /** SHA-256 (hex) of the canonical JSON: equal settings give equal hashes. */
    public String hash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(toJson().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
