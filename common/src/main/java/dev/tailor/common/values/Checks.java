package dev.tailor.common.values;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Argument checks with messages that say what was wrong and what is accepted. */
public final class Checks {
    /** An identifier used inside object keys (datasetId, version, jobId, modelId…); also in the JSON Schemas. */
    public static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
    /** A tenant: the first segment of every object key. */
    public static final String TENANT_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";
    /** A SHA-256 in lowercase hex. */
    public static final String SHA256_PATTERN = "^[0-9a-f]{64}$";
    /** An {@code s3://bucket/key} reference as the JSON Schemas describe it ({@link S3Uri#parse} checks it fully). */
    public static final String S3_URI_PATTERN = "^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$";
    private static final Pattern ID = Pattern.compile(ID_PATTERN);
    private static final Pattern TENANT = Pattern.compile(TENANT_PATTERN);
    private static final Pattern SHA256 = Pattern.compile(SHA256_PATTERN);

    private Checks() {
    }

    /** Validates the envelope every event starts with. */
    public static void envelope(String eventId, int schemaVersion, Instant occurredAt, String tenant) {
        notBlank("eventId", eventId);
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be 1 or more, got " + schemaVersion);
        }
        if (occurredAt == null) {
            throw new IllegalArgumentException("occurredAt is required (an ISO-8601 instant such as 2024-05-01T12:00:00Z)");
        }
        tenant(tenant);
    }

    public static String tenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant must be 1-63 lowercase letters, digits or '-', starting with a"
                    + " letter or digit (it is the first segment of every object key), got " + quote(tenant));
        }
        return tenant;
    }

    /** An identifier used inside object keys: letters, digits, '.', '_', '-'; no '/'. */
    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-128 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit (it becomes part of an object key), got " + quote(value));
        }
        return value;
    }

    public static String optionalId(String field, String value) {
        return value == null ? null : id(field, value);
    }

    public static String notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
        return value;
    }

    public static String optionalNotBlank(String field, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(field + " must be left out or be non-blank, got a blank string");
        }
        return value;
    }

    /** An {@code s3://bucket/key} reference. */
    public static String s3Uri(String field, String value) {
        notBlank(field, value);
        try {
            S3Uri.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
        }
        return value;
    }

    public static String optionalS3Uri(String field, String value) {
        return value == null ? null : s3Uri(field, value);
    }

    public static String oneOf(String field, String value, Collection<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(field + " must be one of " + allowed + ", got " + quote(value));
        }
        return value;
    }

    public static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, got " + value);
        }
        return value;
    }

    public static int between(String field, int value, int min, int max, String context) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + context + ", got " + value);
        }
        return value;
    }

    public static double between(String field, double value, double min, double max, String context) {
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + context + ", got " + value);
        }
        return value;
    }

    /** A finite number ≥ 0, or null. */
    public static Double optionalNonNegative(String field, Double value) {
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            throw new IllegalArgumentException(field + " must be left out or be a finite number >= 0, got " + value);
        }
        return value;
    }

    public static String sha256(String field, String value) {
        if (value == null || !SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 64 lowercase hex digits (a SHA-256), got " + quote(value));
        }
        return value;
    }

    /** A non-empty list of non-blank strings, copied. */
    public static List<String> nonEmpty(String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(field + " must list at least one entry");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || values.get(i).isBlank()) {
                throw new IllegalArgumentException(field + "[" + i + "] must not be blank");
            }
        }
        return List.copyOf(values);
    }

    /** Who a piece of work is done for: 1-256 printable characters (an OIDC subject, {@code apikey:<keyId>}), or null. */
    public static String optionalPrincipal(String principal) {
        if (principal != null && (principal.isBlank() || principal.length() > 256
                || principal.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("principal must be left out or be 1-256 printable characters, got "
                    + quote(principal));
        }
        return principal;
    }

    private static String quote(String value) {
        return value == null ? "nothing" : "'" + value + "'";
    }
}
