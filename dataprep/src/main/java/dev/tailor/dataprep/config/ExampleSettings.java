package dev.tailor.dataprep.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a source record becomes a training example.
 *
 * @param fieldMapping source field names for {@code prompt}, {@code completion}, {@code context}, {@code system},
 *     {@code messages}, {@code text} (and {@code conversation}); unmapped roles use the common names
 * @param fields what to do when a source field is missing or empty, field name → policy (see {@link FieldPolicy});
 *     applied in field-name order
 * @param systemPrompt system message prepended to every chat example that has none (null = none)
 * @param glossaryFiles file names (case ignored; in archives too) read as a glossary: CSV or TSV with term, plain-language
 *     explanation and synonyms columns, each term turned into several question/answer examples (GlossarySource)
 */
public record ExampleSettings(Map<String, String> fieldMapping, Map<String, FieldPolicy> fields, String systemPrompt,
                              java.util.List<String> glossaryFiles) {
    public ExampleSettings {
        glossaryFiles = glossaryFiles == null ? java.util.List.of("glossary.csv", "glossary.tsv") : java.util.List.copyOf(glossaryFiles);
        fieldMapping = fieldMapping == null ? Map.of() : Map.copyOf(fieldMapping);
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(fields));
        for (Map.Entry<String, FieldPolicy> e : fields.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("fields." + e.getKey() + " needs a policy such as {\"action\":\"drop\"}");
            }
        }
    }

    public static ExampleSettings defaults() {
        return new ExampleSettings(Map.of(), Map.of(), null, java.util.List.of("glossary.csv", "glossary.tsv"));
    }
}
