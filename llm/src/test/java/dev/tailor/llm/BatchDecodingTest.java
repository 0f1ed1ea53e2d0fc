package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.Projection;
import dev.tailor.llm.generate.BatchDecoder;
import dev.tailor.llm.generate.BatchSettings;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.generate.Sequence;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.model.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching: sequences of different lengths, settings and adapters decoded together give exactly what
 * each gives alone (greedy, and seeded sampling), whenever they join the batch and whoever leaves it.
 */
class BatchDecodingTest {

    static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixture.dir());
        model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
        model.putAdapter("other", randomAdapter(model.transformer(), List.of(Projection.O_PROJ, Projection.GATE_PROJ,
                Projection.V_PROJ), 3));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static LoraAdapter randomAdapter(Transformer base, List<Projection> targets, long seed) {
        return TestModels.randomAdapter(base, targets, seed);
    }

    static int[] prompt(int length, int salt) {
        int[] p = new int[length];
        p[0] = 1;
        for (int i = 1; i < length; i++) {
            p[i] = 3 + (i * 31 + salt * 17) % 250;
        }
        return p;
    }

    /** 9 requests: three adapters (none, fixture, other), prompts of 1 to 40 tokens, 1 to 30 new tokens. */
    static List<GenerationRequest> mixed() {
        String[] adapters = {null, "fixture", "other"};
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            out.add(GenerationRequest.greedy(prompt(1 + (i * 13) % 40, i), 1 + (i * 7) % 30)
                    .withAdapter(adapters[i % 3]));
        }
        return out;
    }

    @Test
    void batchOfMixedAdaptersAndLengthsEqualsUnbatchedGreedy() {
        List<GenerationRequest> reqs = mixed();
        List<GenerationResult> batched = model.generateBatch(reqs);
        assertEquals(reqs.size(), batched.size());
        for (int i = 0; i < reqs.size(); i++) {
            GenerationResult alone = model.generate(reqs.get(i), null);
            assertArrayEquals(alone.ids(), batched.get(i).ids(), "request " + i + " (" + reqs.get(i).adapter() + ")");
            assertEquals(alone.text(), batched.get(i).text());
            assertEquals(alone.finishReason(), batched.get(i).finishReason());
        }
        // the adapters really differ: the same prompt gives three different continuations
        int[] p = prompt(12, 5);
        List<GenerationResult> three = model.generateBatch(List.of(GenerationRequest.greedy(p, 20),
                GenerationRequest.greedy(p, 20).withAdapter("fixture"), GenerationRequest.greedy(p, 20)
                        .withAdapter("other")));
        assertFalse(Arrays.equals(three.get(0).ids(), three.get(1).ids()));
        assertFalse(Arrays.equals(three.get(0).ids(), three.get(2).ids()));
        assertFalse(Arrays.equals(three.get(1).ids(), three.get(2).ids()));
    }

    @Test
    void sequencesJoinAndLeaveARunningBatchAtAnyStep() {
        List<GenerationRequest> reqs = new ArrayList<>(mixed());
        // seeded sampling with per-row settings, a stop string and a repetition penalty ride along
        reqs.add(new GenerationRequest(prompt(9, 40), 25, 0.9, 20, 0.95, 1.0, List.of(), 7L, "other"));
        reqs.add(new GenerationRequest(prompt(5, 41), 25, 0, 0, 1, 3.0, List.of(), null, null));
        String text = model.generate(GenerationRequest.greedy(prompt(6, 42), 20), null).text();
        reqs.add(new GenerationRequest(prompt(6, 42), 20, 0, 0, 1, 1, List.of(text.substring(3, 5)), null, "fixture"));
        int managed = model.transformer().manager().getManagedArrays().size();
        List<Sequence> seqs = new ArrayList<>();
        List<StringBuilder> streamed = new ArrayList<>();
        // 3 rows and a budget of 12 tokens per step: prompts longer than the budget are prefilled over several steps
        try (BatchDecoder decoder = model.batchDecoder(new BatchSettings(3, 12, 128))) {
            int next = 0;
            int steps = 0;
            while (next < reqs.size() || !decoder.idle()) {
                if (next < reqs.size() && steps % 2 == 0) { // a new arrival every other step
                    StringBuilder sb = new StringBuilder();
                    streamed.add(sb);
                    seqs.add(decoder.submit(reqs.get(next++), (id, delta) -> sb.append(delta)));
                }
                decoder.step();
                assertTrue(decoder.running() <= 3);
                assertTrue(decoder.lastStep().prefilledTokens() + decoder.lastStep().decodedRows() <= 12);
                steps++;
            }
        }
        for (int i = 0; i < reqs.size(); i++) {
            GenerationResult alone = model.generate(reqs.get(i), null);
            GenerationResult got = seqs.get(i).completion().join();
            assertArrayEquals(alone.ids(), got.ids(), "request " + i);
            assertEquals(alone.text(), got.text(), "request " + i);
            assertEquals(alone.text(), streamed.get(i).toString(), "streamed text of request " + i);
            assertEquals(alone.finishReason(), got.finishReason(), "request " + i);
        }
        assertEquals("stop", seqs.get(seqs.size() - 1).completion().join().finishReason());
        assertEquals(managed, model.transformer().manager().getManagedArrays().size(), "native arrays leaked");
    }

    /** A waiting sequence that is cancelled (client gone, deadline passed) ends at the next step, not when a row frees. */
    @Test
    void aSequenceCancelledWhileWaitingEndsAtTheNextStep() {
        try (BatchDecoder decoder = model.batchDecoder(new BatchSettings(1, 64, 128))) {
            Sequence running = decoder.submit(GenerationRequest.greedy(prompt(8, 1), 60), null);
            Sequence queued = decoder.submit(GenerationRequest.greedy(prompt(5, 2), 20), null);
            Sequence next = decoder.submit(GenerationRequest.greedy(prompt(4, 3), 5), null);
            decoder.step();
            assertEquals(2, decoder.waiting());
            queued.cancel();
            decoder.step();
            assertTrue(queued.completion().isDone(), "ended while the only row is still busy");
            assertEquals(Sequence.CANCELLED, queued.completion().join().finishReason());
            assertEquals(0, queued.completion().join().completionTokens());
            assertEquals(1, decoder.waiting());
            decoder.runUntilIdle();
            assertArrayEquals(model.generate(GenerationRequest.greedy(prompt(8, 1), 60), null).ids(),
                    running.completion().join().ids());
            assertArrayEquals(model.generate(GenerationRequest.greedy(prompt(4, 3), 5), null).ids(),
                    next.completion().join().ids());
        }
    }

    @Test
    void aCancelledOrFailingSequenceLeavesAndTheOthersGoOn() {
        GenerationRequest longOne = GenerationRequest.greedy(prompt(8, 1), 60);
        GenerationRequest other = GenerationRequest.greedy(prompt(11, 2), 40).withAdapter("fixture");
        GenerationRequest third = GenerationRequest.greedy(prompt(3, 3), 40).withAdapter("other");
        try (BatchDecoder decoder = model.batchDecoder(new BatchSettings(2, 64, 128))) {
            Sequence cancelled = decoder.submit(longOne, null);
            Sequence failing = decoder.submit(other, (id, d) -> {
                throw new IllegalStateException("client went away");
            });
            Sequence waiting = decoder.submit(third, null);
            decoder.step();
            decoder.step();
            cancelled.cancel();
            decoder.runUntilIdle();
            GenerationResult c = cancelled.completion().join();
            assertEquals(Sequence.CANCELLED, c.finishReason());
            assertTrue(c.completionTokens() >= 2 && c.completionTokens() < 60, "tokens: " + c.completionTokens());
            CompletionException e = assertThrows(CompletionException.class, () -> failing.completion().join());
            assertEquals("client went away", e.getCause().getMessage());
            assertArrayEquals(model.generate(third, null).ids(), waiting.completion().join().ids());
        }
    }

    @Test
    void requestsThatCannotRunAreRefusedUpFront() {
        assertThrows(IllegalArgumentException.class, () -> model.generateBatch(List.of(
                GenerationRequest.greedy(prompt(4, 1), 4), GenerationRequest.greedy(prompt(4, 1), 4)
                        .withAdapter("missing"))));
        assertThrows(IllegalArgumentException.class, () -> model.generateBatch(List.of(
                GenerationRequest.greedy(prompt(200, 1), 4))));
        try (BatchDecoder decoder = model.batchDecoder(new BatchSettings(2, 8, 16))) {
            assertThrows(IllegalArgumentException.class, () -> decoder.submit(GenerationRequest.greedy(prompt(17, 1),
                    2), null));
            // a row's capacity cuts the generation like the model's context does
            Sequence s = decoder.submit(GenerationRequest.greedy(prompt(10, 1), 50), null);
            decoder.runUntilIdle();
            assertEquals(6, s.completion().join().completionTokens());
            assertEquals("length", s.completion().join().finishReason());
        }
        assertTrue(model.adapterNames().containsAll(List.of("fixture", "other")));
    }

    @Test
    void groupedQueryAttentionWithBiasesBatchesLikeItDecodesAlone() {
        try (Transformer qwen = TestModels.random(TestModels.qwen2(), 5)) {
            LoraAdapter adapter = randomAdapter(qwen, List.of(Projection.Q_PROJ, Projection.K_PROJ,
                    Projection.UP_PROJ), 9);
            Generator single = new Generator(qwen, null);
            List<GenerationRequest> reqs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                reqs.add(GenerationRequest.greedy(prompt(2 + i * 5, i), 10 + i * 3));
            }
            dev.tailor.llm.generate.AdapterLeases leases = name -> new dev.tailor.llm.generate.AdapterLeases.Lease() {
                @Override
                public dev.tailor.llm.model.ProjectionDelta delta() {
                    return adapter;
                }

                @Override
                public void close() {
                }
            };
            try (BatchDecoder decoder = new BatchDecoder(qwen, null, new BatchSettings(4, 64, 64), leases)) {
                List<Sequence> seqs = new ArrayList<>();
                for (int i = 0; i < reqs.size(); i++) {
                    seqs.add(decoder.submit(i % 2 == 0 ? reqs.get(i) : reqs.get(i).withAdapter("a"), null));
                }
                decoder.runUntilIdle();
                for (int i = 0; i < reqs.size(); i++) {
                    int[] alone = single.generate(reqs.get(i), i % 2 == 0 ? null : adapter, null).ids();
                    assertArrayEquals(alone, seqs.get(i).completion().join().ids(), "request " + i);
                }
            } finally {
                adapter.close();
            }
        }
    }
}
