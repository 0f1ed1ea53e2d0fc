package dev.tailor.eval.domain.format;

import java.util.Locale;

/** Why a generation ended, in the OpenAI API's terms. */
public enum FinishReason {
    /** The model emitted its end-of-sequence token or a stop string. */
    STOP,
    /** The generation reached its max-token budget: the answer may be cut off. */
    LENGTH;

    /**
     * From a finish reason as the generator and OpenAI-compatible servers report it: {@code stop} (also
     * {@code eos}, {@code end_turn}, {@code stop_sequence}) or {@code length} (also {@code max_tokens}).
     */
    public static FinishReason of(String reason) {
        String r = reason == null ? "" : reason.trim().toLowerCase(Locale.ROOT);
        return switch (r) {
            case "stop", "eos", "end_turn", "stop_sequence" -> STOP;
            case "length", "max_tokens" -> LENGTH;
            default -> throw new IllegalArgumentException("unknown finish reason '" + reason
                    + "'; expected 'stop' (end of sequence or stop string) or 'length' (max tokens reached)");
        };
    }
}
