package dev.tailor.eval.domain.format;

import java.util.List;

/**
 * How one generated answer ended and whether it kept the chat format.
 *
 * @param finish        why the generation ended
 * @param leakedMarkers chat-format markers found in the answer (control-token texts, role headers), empty when none
 */
public record FormatCheck(FinishReason finish, List<String> leakedMarkers) {

    public FormatCheck {
        if (finish == null) {
            throw new IllegalArgumentException("a format check needs the finish reason");
        }
        leakedMarkers = leakedMarkers == null ? List.of() : List.copyOf(leakedMarkers);
    }

    /** Stopped by EOS or a stop string. */
    public boolean stopped() {
        return finish == FinishReason.STOP;
    }

    public boolean hitMaxTokens() {
        return finish == FinishReason.LENGTH;
    }

    public boolean keepsChatFormat() {
        return leakedMarkers.isEmpty();
    }
}
