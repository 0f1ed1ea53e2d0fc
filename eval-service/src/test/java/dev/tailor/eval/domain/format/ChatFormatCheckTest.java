package dev.tailor.eval.domain.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatFormatCheckTest {
    private static final String REFERENCE = "A column declared INTEGER PRIMARY KEY will autoincrement.";
    private final ChatFormatCheck check = new ChatFormatCheck();

    @Test
    void aCleanAnswerKeepsTheFormat() {
        assertEquals(List.of(), check.leakedMarkers("Declare it INTEGER PRIMARY KEY.\nThe user: field is "
                + "optional.", REFERENCE));
        FormatCheck c = check.check("Declare it INTEGER PRIMARY KEY.", "stop", REFERENCE);
        assertTrue(c.stopped());
        assertTrue(c.keepsChatFormat());
        assertFalse(c.hitMaxTokens());
    }

    @Test
    void findsControlTokensOfCommonTemplatesAndRoleHeaders() {
        assertEquals(List.of("<|im_end|>", "<|im_start|>"),
                check.leakedMarkers("Use INTEGER PRIMARY KEY.<|im_end|>\n<|im_start|>user\nthanks", REFERENCE));
        assertEquals(List.of("<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>"), check.leakedMarkers(
                "Done.<|eot_id|><|start_header_id|>user<|end_header_id|>", REFERENCE));
        assertEquals(List.of("</s>", "[INST]"), check.leakedMarkers("Done.</s><s>[INST] next", REFERENCE));
        assertEquals(List.of("<|assistant|>"), check.leakedMarkers("Done. <|assistant|> more", REFERENCE));
        assertEquals(List.of("user:", "assistant:"),
                check.leakedMarkers("Done.\nUser: and how do I drop it?\n  Assistant: Use DROP.", REFERENCE));
        assertEquals(List.of("###response:"), check.leakedMarkers("Done.\n### Response: again", REFERENCE));
    }

    @Test
    void markersTheReferenceQuotesAndModelSpecialTokensAreHandled() {
        String docs = "Write <|im_start|> before each turn.";
        assertEquals(List.of(), check.leakedMarkers("Write <|im_start|> first.", docs));
        ChatFormatCheck own = new ChatFormatCheck(List.of("<|tailor_end|>", "<eot>", " "));
        assertEquals(List.of("<eot>"), own.leakedMarkers("Done.<eot>", REFERENCE));
    }

    @Test
    void finishReasonsAndTheSummary() {
        assertEquals(FinishReason.LENGTH, FinishReason.of("length"));
        assertEquals(FinishReason.STOP, FinishReason.of(" STOP "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FinishReason.of("cut"));
        assertTrue(e.getMessage().contains("'stop'"), e.getMessage());
        FormatSummary s = FormatSummary.of(List.of(
                check.check("Done.", "stop", REFERENCE),
                check.check("Done.<|im_end|>\nuser: more", "length", REFERENCE),
                check.check("Done and then some more", "length", REFERENCE),
                check.check("Done.<|im_end|>", "stop", REFERENCE)));
        assertEquals(4, s.answers());
        assertEquals(2, s.hitMaxTokens());
        assertEquals(0.5, s.hitMaxTokensShare());
        assertEquals(2, s.leaked());
        assertEquals(List.of("<|im_end|>", "user:"), List.copyOf(s.markerCounts().keySet()));
        assertEquals(2, s.markerCounts().get("<|im_end|>"));
        assertEquals(0.0, FormatSummary.of(List.of()).hitMaxTokensShare());
    }
}
