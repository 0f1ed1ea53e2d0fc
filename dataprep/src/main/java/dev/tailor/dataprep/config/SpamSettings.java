package dev.tailor.dataprep.config;

/**
 * The spam filter of e-mail and ticket exports.
 *
 * @param spamFilter drop e-mail messages and ticket messages that the content classifier (SpamBayes-style chi-square
 *     combining, trained on the SpamAssassin public corpus) calls spam, besides those flagged by X-Spam-Flag headers
 * @param spamThreshold spam probability at or above which a message is dropped, in (0, 1]
 */
public record SpamSettings(boolean spamFilter, double spamThreshold) {
    public SpamSettings {
        if (!(spamThreshold > 0 && spamThreshold <= 1)) {
            throw new IllegalArgumentException("spamThreshold must be in (0, 1], got " + spamThreshold);
        }
    }

    public static SpamSettings defaults() {
        return new SpamSettings(true, 0.99);
    }
}
