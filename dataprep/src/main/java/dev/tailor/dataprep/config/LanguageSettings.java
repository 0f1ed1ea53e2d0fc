package dev.tailor.dataprep.config;

import java.util.List;
import java.util.Locale;

/**
 * The language filter.
 *
 * @param languages ISO 639-1 codes of the languages to keep (e.g. ["en", "de"]); empty = keep every language (the
 *     detector is then never loaded)
 * @param languageMinChars texts shorter than this are never dropped by the language filter (too short to tell)
 */
public record LanguageSettings(List<String> languages, int languageMinChars) {
    public LanguageSettings {
        languages = languages == null ? List.of() : languages.stream().map(l -> l == null ? "null" : l.strip().toLowerCase(Locale.ROOT)).toList();
        for (String l : languages) {
            if (!l.matches("[a-z]{2}")) {
                throw new IllegalArgumentException("languages must be ISO 639-1 codes such as \"en\" or \"de\", got '" + l + "'");
            }
        }
        if (languageMinChars < 0) {
            throw new IllegalArgumentException("languageMinChars must be >= 0, got " + languageMinChars);
        }
    }

    public static LanguageSettings defaults() {
        return new LanguageSettings(List.of(), 40);
    }
}
