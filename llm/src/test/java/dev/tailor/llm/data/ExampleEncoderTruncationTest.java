package dev.tailor.llm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.Fixture;
import dev.tailor.llm.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fitting chat examples into maxSeqLength keeps the final answer and cuts the prompt from the left. */
class ExampleEncoderTruncationTest {
    static LanguageModel model;
    static ExampleEncoder encoder;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixture.dir());
        encoder = model.exampleEncoder();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ChatExample qa(String question, String answer) {
        return new ChatExample(List.of(new ChatMessage("user", question), new ChatMessage("assistant", answer)));
    }

    private static String targetText(ExampleEncoder.Encoded enc) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < enc.ids().length; i++) {
            if (enc.targets()[i]) {
                ids.add(enc.ids()[i]);
            }
        }
        return model.tokenizer().decode(ids.stream().mapToInt(Integer::intValue).toArray(), false);
    }

    @Test
    void aLongPromptIsCutFromTheLeftAndTheAnswerWithItsEosIsKept() {
        ChatExample ex = qa("context ".repeat(60) + "so what is it?", "The answer is 42.");
        ExampleEncoder.Encoded full = encoder.encode(ex, 4096);
        assertFalse(full.truncated());
        assertEquals(full.ids().length, full.fullLength());

        ExampleEncoder.Encoded cut = encoder.encode(ex, 32);
        assertEquals(32, cut.ids().length);
        assertTrue(cut.truncated());
        assertEquals(full.ids().length, cut.fullLength());
        assertEquals(model.tokenizer().bosId(), cut.ids()[0], "the template's BOS stays first");
        int n = full.ids().length;
        assertArrayEquals(Arrays.copyOfRange(full.ids(), n - 31, n), Arrays.copyOfRange(cut.ids(), 1, 32),
                "the last tokens are kept");
        assertEquals("The answer is 42.</s>", targetText(cut));
        assertEquals(full.targetCount(), cut.targetCount());
        assertFalse(cut.targets()[0]);
        assertFalse(cut.targets()[1]);
    }

    @Test
    void anExampleThatFitsIsUnchanged() {
        ChatExample ex = qa("hi", "hello");
        ExampleEncoder.Encoded a = encoder.encode(ex, 4096);
        ExampleEncoder.Encoded b = encoder.encode(ex, a.ids().length);
        assertArrayEquals(a.ids(), b.ids());
        assertArrayEquals(a.targets(), b.targets());
        assertFalse(b.truncated());
    }

    @Test
    void anAnswerLongerThanTheBudgetKeepsItsStartAfterTheEndOfThePrompt() {
        String answer = "lorem ipsum ".repeat(40);
        ChatExample ex = qa("question?", answer);
        ExampleEncoder.Encoded full = encoder.encode(ex, 4096);
        int start = 0;
        while (!full.targets()[start]) {
            start++;
        }
        ExampleEncoder.Encoded cut = encoder.encode(ex, 40);
        assertEquals(40, cut.ids().length);
        assertTrue(cut.truncated());
        // BOS, then the prompt's last max(1, 39 / 4) = 9 tokens (fewer when the prompt is shorter), then the answer
        int context = Math.min(start, 9);
        int from = start - context;
        int offset = from == 0 ? 0 : 1;
        assertEquals(model.tokenizer().bosId(), cut.ids()[0]);
        assertArrayEquals(Arrays.copyOfRange(full.ids(), from, from + 40 - offset),
                Arrays.copyOfRange(cut.ids(), offset, 40));
        assertEquals(40 - offset - context, cut.targetCount(), "every kept answer token is a target");
        assertTrue(cut.targets()[offset + context], "the first answer token is learned from the prompt's end");
        assertTrue(answer.startsWith(targetText(cut)));
    }

    @Test
    void earlierTurnsAreDroppedBeforeTheFinalAnswer() {
        List<ChatMessage> chat = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            chat.add(new ChatMessage("user", "question number " + i + " with some words"));
            chat.add(new ChatMessage("assistant", "answer number " + i));
        }
        ExampleEncoder.Encoded full = encoder.encode(new ChatExample(chat), 4096);
        ExampleEncoder.Encoded cut = encoder.encode(new ChatExample(chat), full.ids().length / 2);
        assertTrue(cut.truncated());
        assertTrue(targetText(cut).endsWith("answer number 5</s>"), targetText(cut));
        assertFalse(targetText(cut).contains("answer number 0"));
    }

    @Test
    void onlyAnExampleWithoutAnswerEndsUpWithoutTargets() {
        ChatExample noAnswer = new ChatExample(List.of(new ChatMessage("user", "words ".repeat(50))));
        ExampleEncoder.Encoded enc = encoder.encode(noAnswer, 16);
        assertEquals(16, enc.ids().length);
        assertEquals(0, enc.targetCount());
        for (int max = 2; max <= 12; max++) {
            ExampleEncoder.Encoded e = encoder.encode(qa("long ".repeat(80), "yes indeed"), max);
            assertEquals(max, e.ids().length);
            assertTrue(e.targetCount() > 0, "maxSeqLength " + max + " keeps an answer token");
        }
    }

    @Test
    void textExamplesKeepTheirStart() {
        ChatExample text = ChatExample.ofText("word ".repeat(100));
        ExampleEncoder.Encoded full = encoder.encode(text, 4096);
        ExampleEncoder.Encoded cut = encoder.encode(text, 20);
        assertTrue(cut.truncated());
        assertArrayEquals(Arrays.copyOf(full.ids(), 20), cut.ids());
        assertEquals(19, cut.targetCount());
    }

    @Test
    void meanAnswerLossScoresTheAnswerOfALongPrompt() {
        ChatExample ex = qa("context ".repeat(60), "The answer is 42.");
        double loss = model.meanAnswerLoss(List.of(ex), null, 32);
        assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
    }
}
