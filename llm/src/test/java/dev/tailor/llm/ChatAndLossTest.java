package dev.tailor.llm;

import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.ChatExample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.llm.data.ExampleEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatAndLossTest {

    static LanguageModel model;
    static final List<ChatMessage> CHAT = List.of(new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Hello Ünïcode"),
            new ChatMessage("user", "More 😀 please"), new ChatMessage("assistant", "Sure 🎉."));

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixture.dir());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void fixtureTemplateRenders() {
        List<ChatMessage> two = CHAT.subList(1, 3);
        assertEquals("<s>user\nHi</s>\n<s>assistant\nHello Ünïcode</s>\n", model.chatTemplate().render(two, false).text());
        assertEquals("<s>user\nHi</s>\n<s>assistant\n", model.chatTemplate().render(two.subList(0, 1), true).text());
        int[] ids = model.tokenizer().encode(model.chatTemplate().render(two, false).text(), false);
        assertEquals(1, ids[0]); // <s> in the text is the special token, not its bytes
    }

    @Test
    void templateVariablesWhitespaceControlAndRaiseException() {
        String tpl = "{{ bos_token }}{%- for m in messages -%}\n"
                + "  {%- if m.role == 'system' and not loop.first %}{{ raise_exception('system must come first') }}"
                + "{% endif -%}\n"
                + "  [{{ m.role | upper }}] {{ m.content | trim }}{{ eos_token }}\n"
                + "{%- endfor %}{% if add_generation_prompt %}[ASSISTANT]{% endif %}";
        ChatTemplate t = new ChatTemplate(tpl, Map.of("bos_token", "<s>", "eos_token", "</s>"));
        assertEquals("<s>[USER] hi</s>[ASSISTANT]", t.render(List.of(new ChatMessage("user", " hi ")), true).text());
        var e = assertThrows(IllegalArgumentException.class, () -> t.render(List.of(new ChatMessage("user", "a"),
                new ChatMessage("system", "b")), false).text());
        assertTrue(e.getMessage().contains("system must come first"), e.getMessage());
    }

    @Test
    void encoderMasksEverythingButAnswers() {
        ExampleEncoder.Encoded enc = model.exampleEncoder().encode(new ChatExample(CHAT), 512);
        List<Integer> answer = new ArrayList<>();
        for (int i = 0; i < enc.ids().length; i++) {
            if (enc.targets()[i]) {
                answer.add(enc.ids()[i]);
            }
        }
        String targets = model.tokenizer().decode(answer.stream().mapToInt(Integer::intValue).toArray(), false);
        assertEquals("Hello Ünïcode</s>Sure 🎉.</s>", targets);
        assertFalse(enc.targets()[0]);
        // truncation cuts the prompt from the left and keeps the final answer (with its EOS)
        ExampleEncoder.Encoded cut = model.exampleEncoder().encode(new ChatExample(CHAT), 16);
        assertEquals(16, cut.ids().length);
        assertTrue(cut.truncated());
        assertFalse(enc.truncated());
        assertEquals(1, cut.ids()[0]); // BOS kept
        assertEquals(2, cut.ids()[14]); // the closing EOS, a target, then the template's trailing newline
        assertTrue(cut.targets()[14]);
        assertEquals(enc.ids()[enc.ids().length - 1], cut.ids()[15]);
        assertTrue(cut.targetCount() > 0);
    }

    @Test
    void textAndPromptCompletionExamples() {
        ChatExample text = ChatExample.fromJson("{\"text\":\"Plain document.\"}");
        ExampleEncoder.Encoded enc = model.exampleEncoder().encode(text, 512);
        assertEquals(1, enc.ids()[0]);
        assertEquals(2, enc.ids()[enc.ids().length - 1]);
        assertEquals(enc.ids().length - 1, enc.targetCount());
        ChatExample pc = ChatExample.fromJson("{\"prompt\":\"Q?\",\"completion\":\"A!\"}");
        assertEquals("assistant", pc.messages().get(1).role());
        assertThrows(IllegalArgumentException.class, () -> ChatExample.fromJson("{\"foo\":1}"));
    }

    @Test
    void tokenizerDoesNotTruncateLongInput() {
        String longText = "word ".repeat(400);
        assertEquals(2001, model.tokenizer().encode(longText, true).length);
    }

    @Test
    void meanAnswerLossCountsOnlyAnswerTokens() {
        List<ChatExample> examples = List.of(new ChatExample(CHAT), ChatExample.ofText("Some text."));
        double got = model.meanAnswerLoss(examples, null, 512);
        double sum = 0;
        int n = 0;
        for (ChatExample ex : examples) {
            ExampleEncoder.Encoded enc = model.exampleEncoder().encode(ex, 512);
            float[][] logits = model.logits(enc.ids(), null);
            for (int i = 1; i < enc.ids().length; i++) {
                if (enc.targets()[i]) {
                    float[] row = logits[i - 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : row) {
                        max = Math.max(max, v);
                    }
                    double z = 0;
                    for (float v : row) {
                        z += Math.exp(v - max);
                    }
                    sum += max + Math.log(z) - row[enc.ids()[i]];
                    n++;
                }
            }
        }
        assertEquals(sum / n, got, 1e-4);
        model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
        try {
            assertTrue(Math.abs(got - model.meanAnswerLoss(examples, "fixture", 512)) > 1e-4);
        } finally {
            model.unloadAdapter("fixture");
        }
    }
}
