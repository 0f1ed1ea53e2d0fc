package dev.tailor.llm.chat.jinja;

import java.time.Duration;

/**
 * Bounds one template render so that a hostile or broken template (templates come with the checkpoints users
 * upload) cannot hang or exhaust a service.
 *
 * @param maxOutputChars  most characters the render may produce (also the cap on any string it builds)
 * @param maxWork         most units of work: one per node rendered and one per loop iteration
 * @param maxRange        most items {@code range()} may produce (Jinja's sandbox allows 100,000)
 * @param timeout         wall-clock limit of one render
 */
public record RenderLimits(long maxOutputChars, long maxWork, int maxRange, Duration timeout) {

    /** Output grows with the conversation: this much room on top of the contents themselves. */
    private static final long OUTPUT_HEADROOM_CHARS = 1L << 20;
    private static final long BASE_WORK = 1_000_000;

    public RenderLimits {
        if (maxOutputChars <= 0 || maxWork <= 0 || maxRange <= 0 || timeout == null || timeout.isNegative()
                || timeout.isZero()) {
            throw new IllegalArgumentException("render limits must be positive, got " + maxOutputChars + " chars, "
                    + maxWork + " work, range " + maxRange + ", timeout " + timeout);
        }
    }

    /**
     * Limits for rendering a conversation whose message contents hold {@code contentChars} characters in
     * {@code messages} messages: output up to four times the contents plus 1 MiB, work proportional to the
     * conversation, 100,000 range items, 5 seconds.
     */
    public static RenderLimits forConversation(long contentChars, int messages) {
        return new RenderLimits(4 * contentChars + OUTPUT_HEADROOM_CHARS, BASE_WORK + 10_000L * messages
                + contentChars, 100_000, Duration.ofSeconds(5));
    }
}
