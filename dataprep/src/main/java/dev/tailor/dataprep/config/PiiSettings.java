package dev.tailor.dataprep.config;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Redaction of personal data.
 *
 * @param redactPii replace e-mail, phone, card, IBAN and IP with typed placeholders
 * @param piiPatterns extra patterns, placeholder name (an identifier) → Java regex
 * @param piiContext judge each match by its context, so that technical text keeps its numbers: decimals, table rows,
 *     dates, year ranges, times, versions and section numbers are not cards, phones or IPs; an address inside a URL or
 *     a Message-ID is not an e-mail address (counted as pii.kept-by-context.TYPE)
 * @param ipAddresses which IP addresses are redacted: {@code all} (as before), {@code public} (not private network
 *     addresses such as 192.168.x.x, 10.x.x.x: for technical documentation) or {@code none}; loopback, unspecified,
 *     broadcast and documentation addresses never are when piiContext is on
 * @param phoneRegion ISO 3166 region of national phone numbers (e.g. "IE", "US"): they are then validated against its
 *     numbering plan by libphonenumber instead of matched by a pattern of digit groups; null = unknown
 */
public record PiiSettings(boolean redactPii, Map<String, String> piiPatterns, boolean piiContext, String ipAddresses,
                          String phoneRegion) {
    public PiiSettings {
        ipAddresses = ipAddresses == null ? "all" : ipAddresses.strip().toLowerCase(java.util.Locale.ROOT);
        if (!java.util.Set.of("all", "public", "none").contains(ipAddresses)) {
            throw new IllegalArgumentException("ipAddresses must be all, public or none, got '" + ipAddresses + "'");
        }
        phoneRegion = phoneRegion == null || phoneRegion.isBlank() ? null : phoneRegion.strip().toUpperCase(java.util.Locale.ROOT);
        if (phoneRegion != null && !com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(phoneRegion)) {
            throw new IllegalArgumentException("phoneRegion must be an ISO 3166 region code such as \"IE\" or \"US\", got '"
                    + phoneRegion + "'");
        }
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
        return new PiiSettings(true, Map.of(), true, "all", null);
    }
}
