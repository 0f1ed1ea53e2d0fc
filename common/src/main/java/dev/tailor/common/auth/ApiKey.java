package dev.tailor.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tailor API key: {@code tlr_<keyId>_<secret>}, where keyId is 16 hex digits (public: it names the key in lists,
 * logs and audit events) and secret is 256 random bits in base64url (43 characters). Only the SHA-256 of the whole
 * key is stored. A plain SHA-256 is enough here and a slow password hash (bcrypt, Argon2) would buy nothing: slow
 * hashes protect low-entropy passwords from guessing, while 2^256 random secrets cannot be guessed at any hash speed;
 * a fast hash keeps the check of every request (on a cache miss) at microseconds. Keys are sent as
 * {@code Authorization: Bearer <key>}, which every OpenAI client does with its {@code apiKey}.
 *
 * @param keyId  the public identifier
 * @param secret the random part; never logged, stored or shown again after creation
 */
public record ApiKey(String keyId, String secret) {
    /** Every Tailor key starts with this, so a bearer token is recognised as a key without a lookup. */
    public static final String PREFIX = "tlr_";
    private static final Pattern FORMAT = Pattern.compile("tlr_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ApiKey {
        if (!FORMAT.matcher(PREFIX + keyId + "_" + secret).matches()) {
            throw new IllegalArgumentException("not a Tailor API key (tlr_ + 16 hex digits + _ + 43 base64url chars)");
        }
    }

    /** A new key from {@link SecureRandom}. */
    public static ApiKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiKey(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** Whether a bearer token is meant as a Tailor API key (starts with {@link #PREFIX}). */
    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The key in {@code token}, or empty when it is not a well-formed Tailor key. */
    public static Optional<ApiKey> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(token.strip());
        return m.matches() ? Optional.of(new ApiKey(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The whole key, as the caller sends it: shown once, when it is created. */
    public String value() {
        return PREFIX + keyId + "_" + secret;
    }

    /** SHA-256 of {@link #value()} in lowercase hex: what the key's record keeps. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Whether this key is the one a record was made for (constant-time comparison of the hashes). */
    public boolean matches(String sha256Hex) {
        return sha256Hex != null && MessageDigest.isEqual(sha256().getBytes(StandardCharsets.US_ASCII),
                sha256Hex.getBytes(StandardCharsets.US_ASCII));
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "ApiKey[" + keyId + "]";
    }
}
