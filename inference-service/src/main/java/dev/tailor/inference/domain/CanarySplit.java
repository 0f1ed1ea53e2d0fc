package dev.tailor.inference.domain;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which requests of an alias the canary answers: {@code percent} % of them, spread evenly (request n goes to the
 * canary when {@code floor((n + 1) p / 100) > floor(n p / 100)}), or, for a request naming its {@code user}, always
 * the same model for the same user (a stable hash of the user below {@code percent}).
 */
public final class CanarySplit {

    private CanarySplit() {
    }

    /** Whether request number {@code n} (0, 1, 2, … of the alias) goes to the canary. */
    public static boolean canary(long n, int percent) {
        check(percent);
        return Math.floorDiv((n + 1) * percent, 100) > Math.floorDiv(n * percent, 100);
    }

    /** Whether requests of {@code user} go to the canary. */
    public static boolean sticky(String user, int percent) {
        check(percent);
        CRC32 crc = new CRC32();
        crc.update(user.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < percent;
    }

    private static void check(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be between 0 and 100, got " + percent);
        }
    }
}
