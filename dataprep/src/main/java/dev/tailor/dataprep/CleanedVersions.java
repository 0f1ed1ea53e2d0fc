package dev.tailor.dataprep;

import dev.tailor.dataprep.config.CleaningConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of a cleaned version: derived from the raw content and the settings (and the rules' version), so that the
 * same data cleaned with the same settings is the same version (a redelivered event, a repeated re-clean), and other
 * settings or newer rules make a new one. Cleaning names its output with it; ingest names a re-clean's version with it
 * before cleaning has run.
 */
public final class CleanedVersions {
    private CleanedVersions() {
    }

    /** {@code v-} + the first 16 hex digits of SHA-256(contentSha256 + ":" + configHash + ":rules=" + rulesVersion). */
    public static String id(String contentSha256, String configHash, int rulesVersion) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((contentSha256 + ":" + configHash + ":rules="
                    + rulesVersion).getBytes(StandardCharsets.UTF_8));
            return "v-" + HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version {@code config} makes of the raw content with SHA-256 {@code contentSha256} under today's rules. */
    public static String id(String contentSha256, CleaningConfig config) {
        return id(contentSha256, config.hash(), CleaningPipeline.RULES_VERSION);
    }
}
