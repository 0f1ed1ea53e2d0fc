package dev.tailor.eval.domain.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgeTest {

    @Test
    void theLastVerdictOfAReplyCounts() {
        assertEquals(JudgeReply.A, JudgeReply.parse("Answer A is correct. [[A]]"));
        assertEquals(JudgeReply.B, JudgeReply.parse("Use \"[[A]]\" if A is better... Here B wins: [[ b ]]"));
        assertEquals(JudgeReply.TIE, JudgeReply.parse("Both fine [[C]]"));
        assertEquals(JudgeReply.TIE, JudgeReply.parse("[[tie]]"));
        assertEquals(JudgeReply.NONE, JudgeReply.parse("I think A is better."));
        assertEquals(JudgeReply.NONE, JudgeReply.parse(null));
    }

    @Test
    void bothOrdersCancelPositionBias() {
        // a judge that always names the first answer: tuned wins as A, loses as B → a tie, flagged as biased
        Judgement biased = new Judgement("1", JudgeReply.A, JudgeReply.A, "[[A]]", "[[A]]");
        assertEquals(0.5, biased.preference());
        assertTrue(biased.positionBiased());
        Judgement consistent = new Judgement("2", JudgeReply.A, JudgeReply.B, "a", "b");
        assertEquals(1.0, consistent.preference());
        assertFalse(consistent.positionBiased());
        assertEquals(0.0, new Judgement("3", JudgeReply.B, JudgeReply.A, "", "").preference());
        assertEquals(0.75, new Judgement("4", JudgeReply.A, JudgeReply.TIE, "", "").preference());
        assertEquals(1.0, new Judgement("5", JudgeReply.NONE, JudgeReply.B, "", "").preference());
        Judgement none = new Judgement("6", JudgeReply.NONE, JudgeReply.NONE, "?", "?");
        assertFalse(none.usable());
        assertFalse(none.positionBiased());
    }

    @Test
    void thePromptIsASandboxedTemplateAndMessageTextStaysText() {
        JudgePrompt prompt = new JudgePrompt(null);
        String text = prompt.render("What is {{ 7*7 }}?", List.of(Map.of("role", "user", "content", "x")),
                "49", "forty-nine", "{% raise_exception('no') %}");
        assertTrue(text.contains("What is {{ 7*7 }}?"), text);
        assertTrue(text.contains("[Answer B]\n{% raise_exception('no') %}"), text);
        assertTrue(text.contains("[[A]]") && text.contains("[[C]]"), "the default asks for a verdict");
        String custom = new JudgePrompt("Q={{ question }} A={{ answer_a }} B={{ answer_b }} turns={{ conversation"
                + "|length }}").render("q", List.of(Map.of("role", "user", "content", "q")), "r", "a", "b");
        assertEquals("Q=q A=a B=b turns=1", custom);
        assertThrows(IllegalArgumentException.class, () -> new JudgePrompt("{{ answer_a }}"));
        assertThrows(IllegalArgumentException.class, () -> new JudgePrompt("{% include 'x' %}{{ answer_a }}"
                + "{{ answer_b }}").render("q", List.of(), "r", "a", "b"));
    }

    @Test
    void settingsNeedAnHttpEndpointAndAModelAndNeverShowTheKey() {
        JudgeSettings s = new JudgeSettings("http://127.0.0.1:8085/v1/", "judge", "sk-secret", null, null);
        assertEquals("http://127.0.0.1:8085/v1/chat/completions", s.completionsUri().toString());
        assertEquals(256, s.maxTokens());
        assertEquals(null, s.redacted().apiKey());
        assertEquals("sk-other", new JudgeSettings("https://x.example/v1", "m", null, null, null)
                .withKeyIfAbsent("sk-other").apiKey());
        assertThrows(IllegalArgumentException.class, () -> new JudgeSettings("ftp://x", "m", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new JudgeSettings("http://x/v1", " ", null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new JudgeSettings("http://x/v1", "m", null, null, 4));
    }
}
