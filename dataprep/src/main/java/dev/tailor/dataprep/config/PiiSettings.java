package dev.tailor.dataprep.config;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Redaction of personal data.
 *
 * @param redactPii replace e-mail, phone, card, IBAN and IP with typed placeholders
 * @param piiPatterns extra patterns, placeholder name (an identifier) → Java regex
 */
public record PiiSettings(boolean redactPii, Map<String, String> piiPatterns) {
    public PiiSettings {
        piiPatterns = piiPatterns == null ? Map.of() : Map.copyOf(piiPatterns);
        for (Map.Entry<String, String> e : piiPatterns.entrySet()) {
            if (!e.getKey().matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("piiPatterns names must be identifiers (letters, digits, _), got '" + e.getKey() + "'");
            }
            try {
                Pattern.compile(e.getValue());
            } catch (PatternSyntaxException bad) {
                throw new IllegalArgumentException("piiPatterns." + e.getKey() + " is not a valid Java regex: " + bad.getMessage(), bad);
            }
        }
    }

    public static PiiSettings defaults() {
        return new PiiSettings(true, Map.of());
    }
}
