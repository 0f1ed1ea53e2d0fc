package dev.tailor.dataprep.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every cleaning rule's settings, one record per component (each validated in its constructor; see their Javadoc
 * for every key). The JSON form nests them by component, and any key may be left out (defaults apply):
 * <pre>{@code {"splits": {"trainRatio": 0.9, "validationRatio": 0.05, "testRatio": 0.05}, "pii": {"redactPii": false}}}</pre>
 * Every setting's name is unique across the components, so the flat form of earlier versions, e.g.
 * {@code {"trainRatio": 0.9, "validationRatio": 0.05, "testRatio": 0.05, "redactPii": false}}, is read too (each key
 * goes to the component that has it), and the two may be mixed; a setting given twice is an error.
 *
 * @param splits train/validation/test ratios and the split carry-over between versions
 * @param examples field mapping, incomplete-record policies and the system prompt
 * @param input line limit, CSV delimiter, encoding repair
 * @param documents document and e-mail size limits, text chunk size
 * @param archives archive depth, size, entry and ratio guards
 * @param email how e-mail threads become examples, and how much of them is remembered
 * @param spam the content spam filter
 * @param pii personal-data redaction
 * @param quality length, repetition, symbol and swapped-role filters
 * @param language the language filter
 * @param dedup near-duplicate and semantic-duplicate removal
 * @param report what report.json lists
 */
public record CleaningConfig(SplitSettings splits, ExampleSettings examples, InputSettings input,
                             DocumentSettings documents, ArchiveSettings archives, EmailSettings email,
                             SpamSettings spam, PiiSettings pii, QualitySettings quality, LanguageSettings language,
                             DedupSettings dedup, ReportSettings report) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true).build();
    /**
     * The settings there were when they were grouped by component: always in {@link #hash()}. Settings added since
     * count only when they differ from their defaults, so that the hash of the settings of an earlier version (and the
     * dataset versions derived from it) stays the same.
     */
    private static final Set<String> HASHED_ALWAYS = Set.of("trainRatio", "validationRatio", "testRatio", "carryOverSplits",
            "fieldMapping", "fields", "systemPrompt", "maxLineBytes", "csvDelimiter", "repairMojibake", "maxDocumentBytes",
            "textChunkChars", "maxArchiveDepth", "maxArchiveBytes", "maxArchiveEntries", "maxArchiveRatio", "emailThreads",
            "maxOpenThreads", "maxThreadBytes", "spamFilter", "spamThreshold", "redactPii", "piiPatterns", "minChars", "maxChars",
            "maxRepetition", "maxSymbolRatio", "detectSwappedRoles", "languages", "languageMinChars", "nearDuplicates",
            "nearDuplicateThreshold", "nearDuplicateIndexSize", "semanticDuplicates", "semanticDuplicateThreshold",
            "samplesPerRule", "maxDroppedListed");
    /** Each setting's name → the component that holds it (names are unique across components). */
    private static final Map<String, String> COMPONENT_OF = componentOf(MAPPER.valueToTree(defaults()));

    /** A component left out (null) gets its defaults. */
    public CleaningConfig {
        splits = splits == null ? SplitSettings.defaults() : splits;
        examples = examples == null ? ExampleSettings.defaults() : examples;
        input = input == null ? InputSettings.defaults() : input;
        documents = documents == null ? DocumentSettings.defaults() : documents;
        archives = archives == null ? ArchiveSettings.defaults() : archives;
        email = email == null ? EmailSettings.defaults() : email;
        spam = spam == null ? SpamSettings.defaults() : spam;
        pii = pii == null ? PiiSettings.defaults() : pii;
        quality = quality == null ? QualitySettings.defaults() : quality;
        language = language == null ? LanguageSettings.defaults() : language;
        dedup = dedup == null ? DedupSettings.defaults() : dedup;
        report = report == null ? ReportSettings.defaults() : report;
    }

    public static CleaningConfig defaults() {
        return new CleaningConfig(SplitSettings.defaults(), ExampleSettings.defaults(), InputSettings.defaults(),
                DocumentSettings.defaults(), ArchiveSettings.defaults(), EmailSettings.defaults(), SpamSettings.defaults(),
                PiiSettings.defaults(), QualitySettings.defaults(), LanguageSettings.defaults(), DedupSettings.defaults(),
                ReportSettings.defaults());
    }

    /** Defaults overridden by every key present in {@code json} (nested or flat form); unknown keys are an error. */
    public static CleaningConfig fromJson(String json) {
        try {
            JsonNode user = MAPPER.readTree(json == null || json.isBlank() ? "{}" : json);
            return merge(defaults(), user);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cleaning config is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code base} overridden by every key present in {@code overrides}: a component ({@code "splits": {...}}) sets
     * the keys it holds, a setting's name on its own ({@code "trainRatio": 0.9}, the flat form) sets that setting.
     */
    public static CleaningConfig merge(CleaningConfig base, JsonNode overrides) {
        ObjectNode node = MAPPER.valueToTree(base);
        if (overrides != null && !overrides.isNull() && !overrides.isObject()) {
            throw new IllegalArgumentException("cleaning config must be a JSON object such as {\"splits\": {\"trainRatio\": 0.9, ...}},"
                    + " got " + overrides.getNodeType().name().toLowerCase());
        }
        if (overrides != null && overrides.isObject()) {
            Set<String> given = new HashSet<>();
            overrides.fields().forEachRemaining(e -> {
                String key = e.getKey();
                if (node.has(key)) {
                    if (!e.getValue().isObject()) {
                        throw new IllegalArgumentException("cleaning setting '" + key + "' must be an object of its settings "
                                + names(node.get(key)) + ", got " + e.getValue());
                    }
                    e.getValue().fields().forEachRemaining(s -> {
                        if (!node.get(key).has(s.getKey())) {
                            throw new IllegalArgumentException("unknown cleaning setting '" + key + "." + s.getKey() + "'; "
                                    + key + " holds " + names(node.get(key)));
                        }
                        set(node, given, key, s.getKey(), s.getValue());
                    });
                } else if (COMPONENT_OF.containsKey(key)) {
                    set(node, given, COMPONENT_OF.get(key), key, e.getValue());
                } else {
                    throw new IllegalArgumentException("unknown cleaning setting '" + key + "'; known: " + names(node)
                            + " (each an object of its settings), or a setting's name on its own: " + new TreeMap<>(COMPONENT_OF).keySet());
                }
            });
        }
        try {
            return MAPPER.treeToValue(node, CleaningConfig.class);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException bad) {
                    throw new IllegalArgumentException("cleaning config: " + bad.getMessage(), e);
                }
            }
            String path = e instanceof JsonMappingException m ? m.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                    .filter(java.util.Objects::nonNull).collect(Collectors.joining(".")) : "";
            throw new IllegalArgumentException("cleaning config" + (path.isEmpty() ? "" : " at " + path) + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void set(ObjectNode node, Set<String> given, String component, String setting, JsonNode value) {
        if (!given.add(setting)) {
            throw new IllegalArgumentException("cleaning setting '" + component + "." + setting + "' is given twice (as '"
                    + setting + "' and inside '" + component + "'); keep one");
        }
        ((ObjectNode) node.get(component)).set(setting, value);
    }

    /** The nested JSON form, keys sorted: equal settings give equal text. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The nested form as maps, keys sorted (for report.json and manifests). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return MAPPER.convertValue(this, TreeMap.class);
    }

    /**
     * SHA-256 (hex) of the settings as flat canonical JSON (every setting by its name, keys sorted): equal settings give
     * equal hashes, and the same ones as before the settings were grouped by component, so that the versions of
     * cleaned datasets, derived from this hash, stay the same. A setting added since then is hashed only when it
     * differs from its default ({@link #HASHED_ALWAYS}).
     */
    public String hash() {
        ObjectNode nested = MAPPER.valueToTree(this);
        ObjectNode defaults = MAPPER.valueToTree(defaults());
        TreeMap<String, JsonNode> flat = new TreeMap<>();
        nested.fields().forEachRemaining(c -> c.getValue().fields().forEachRemaining(s -> {
            if (HASHED_ALWAYS.contains(s.getKey()) || !s.getValue().equals(defaults.get(c.getKey()).get(s.getKey()))) {
                flat.put(s.getKey(), s.getValue());
            }
        }));
        ObjectNode canonical = MAPPER.createObjectNode();
        flat.forEach(canonical::set);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(MAPPER.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> componentOf(ObjectNode nested) {
        Map<String, String> m = new HashMap<>();
        nested.fields().forEachRemaining(c -> c.getValue().fieldNames().forEachRemaining(s -> {
            if (m.put(s, c.getKey()) != null || nested.has(s)) {
                throw new IllegalStateException("cleaning setting '" + s + "' is not unique: the flat form would be ambiguous");
            }
        }));
        return Map.copyOf(m);
    }

    private static String names(JsonNode object) {
        java.util.List<String> n = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(n::add);
        return n.toString();
    }
}
