package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.generate.Generator;
import dev.tailor.llm.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenerationTest {

    static LanguageModel model;
    static final int[] PROMPT = {1, 75, 104, 111, 111, 114, 47, 35};

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixture.dir());
        model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static GenerationRequest sample(int[] prompt, int n, double temp, int topK, double topP, double rep,
                                            List<String> stop, Long seed, String adapter) {
        return new GenerationRequest(prompt, n, temp, topK, topP, rep, stop, seed, adapter);
    }

    @Test
    void kvCacheDecodingEqualsFullForward() {
        GenerationResult r = model.generate(GenerationRequest.greedy(PROMPT, 12), null);
        float[][] full = model.logits(r.ids(), null);
        // every generated token is the argmax of the full-sequence logits at the previous position
        for (int i = PROMPT.length; i < r.ids().length; i++) {
            float[] row = full[i - 1];
            int best = 0;
            for (int v = 1; v < row.length; v++) {
                best = row[v] > row[best] ? v : best;
            }
            assertEquals(best, r.ids()[i], "position " + i);
        }
    }

    @Test
    void longPromptsArePrefilledInChunks() {
        ModelConfig cfg = ModelConfig.llama(32, 2, 4, 2, 64, 320, 700, true);
        try (var t = TestModels.random(cfg, 11)) {
            int[] prompt = new int[600]; // more than two prefill chunks
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = 3 + (i * 7) % 250;
            }
            var r = new dev.tailor.llm.generate.Generator(t, null).generate(GenerationRequest.greedy(prompt, 3),
                    null, null);
            float[][] full = TestModels.logits(t, r.ids());
            for (int i = prompt.length; i < r.ids().length; i++) {
                float[] row = full[i - 1];
                int best = 0;
                for (int v = 1; v < row.length; v++) {
                    best = row[v] > row[best] ? v : best;
                }
                assertEquals(best, r.ids()[i], "position " + i);
            }
        }
    }

    @Test
    void seededSamplingIsReproducibleAndTopK1IsGreedy() {
        var a = model.generate(sample(PROMPT, 16, 1.0, 0, 0.9, 1.0, List.of(), 42L, null), null);
        var b = model.generate(sample(PROMPT, 16, 1.0, 0, 0.9, 1.0, List.of(), 42L, null), null);
        var c = model.generate(sample(PROMPT, 16, 1.5, 0, 1.0, 1.0, List.of(), 7L, null), null);
        assertArrayEquals(a.ids(), b.ids());
        assertFalse(java.util.Arrays.equals(a.ids(), c.ids()));
        var k1 = model.generate(sample(PROMPT, 16, 0.8, 1, 1.0, 1.0, List.of(), 3L, null), null);
        assertArrayEquals(model.generate(GenerationRequest.greedy(PROMPT, 16), null).ids(), k1.ids());
    }

    @Test
    void repetitionPenaltyAvoidsRepeats() {
        var plain = model.generate(GenerationRequest.greedy(PROMPT, 24), null);
        var penalized = model.generate(sample(PROMPT, 24, 0, 0, 1, 5.0, List.of(), null, null), null);
        assertTrue(distinct(penalized.newIds()) > distinct(plain.newIds()),
                distinct(penalized.newIds()) + " vs " + distinct(plain.newIds()));
    }

    private static long distinct(int[] ids) {
        return java.util.Arrays.stream(ids).distinct().count();
    }

    @Test
    void streamingDeltasConcatenateToTextAndStopSequencesCut() {
        StringBuilder streamed = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        var full = model.generate(GenerationRequest.greedy(PROMPT, 24), (id, delta) -> {
            ids.add(id);
            streamed.append(delta);
        });
        assertEquals(full.text(), streamed.toString());
        assertEquals(24, ids.size());
        assertTrue(full.text().length() > 3);
        String stop = full.text().substring(2, 4);
        StringBuilder s2 = new StringBuilder();
        var cut = model.generate(sample(PROMPT, 24, 0, 0, 1, 1, List.of(stop), null, null),
                (id, d) -> s2.append(d));
        assertEquals("stop", cut.finishReason());
        assertEquals(full.text().substring(0, full.text().indexOf(stop)), cut.text());
        assertEquals(cut.text(), s2.toString());
        assertTrue(cut.completionTokens() < 24);
    }

    @Test
    void eosEndsGeneration(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        var full = model.generate(GenerationRequest.greedy(PROMPT, 24), null);
        int eos = full.newIds()[3];
        for (String f : new String[] {"model.safetensors", "tokenizer.json", "tokenizer_config.json"}) {
            java.nio.file.Files.copy(Fixture.dir().resolve(f), tmp.resolve(f));
        }
        java.nio.file.Files.copy(Fixture.dir().resolve("config.json"), tmp.resolve("config.json"));
        // instruct models list their end-of-turn ids in generation_config.json
        java.nio.file.Files.writeString(tmp.resolve("generation_config.json"),
                "{\"eos_token_id\": [2, " + eos + "]}");
        try (LanguageModel m = LanguageModel.load(tmp)) {
            assertTrue(m.tokenizer().eosIds().contains(eos));
            var r = m.generate(GenerationRequest.greedy(PROMPT, 24), null);
            assertEquals("stop", r.finishReason());
            int firstEos = 0;
            while (full.newIds()[firstEos] != eos) {
                firstEos++;
            }
            assertArrayEquals(java.util.Arrays.copyOf(full.newIds(), firstEos + 1), r.newIds());
        }
    }

    @Test
    void unloadingAnAdapterNeitherWaitsForNorBreaksRunningRequests() throws Exception {
        model.loadAdapter("hot", Fixture.dir().resolve("adapter"));
        int[] expected = model.generate(GenerationRequest.greedy(PROMPT, 12).withAdapter("hot"), null).ids();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<GenerationResult> running = pool.submit(() -> model.generate(
                    GenerationRequest.greedy(PROMPT, 12).withAdapter("hot"), (id, d) -> {
                        started.countDown();
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS));
            var adapter = model.adapter("hot");
            model.unloadAdapter("hot"); // returns at once although a request is using the adapter
            assertFalse(model.adapterNames().contains("hot"));
            assertThrows(IllegalArgumentException.class,
                    () -> model.generate(GenerationRequest.greedy(PROMPT, 2).withAdapter("hot"), null));
            assertTrue(adapter.manager().isOpen(), "freed while in use");
            go.countDown();
            assertArrayEquals(expected, running.get(30, java.util.concurrent.TimeUnit.SECONDS).ids());
            assertFalse(adapter.manager().isOpen(), "not freed after its last request");
        } finally {
            go.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRequestsDoNotCorruptEachOther() throws Exception {
        List<GenerationRequest> reqs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] p = java.util.Arrays.copyOf(PROMPT, 3 + i % 5);
            reqs.add(i % 2 == 0 ? GenerationRequest.greedy(p, 20) : GenerationRequest.greedy(p, 20).withAdapter("fixture"));
        }
        List<int[]> sequential = new ArrayList<>();
        for (GenerationRequest r : reqs) {
            sequential.add(model.generate(r, null).ids());
        }
        int managed = model.transformer().manager().getManagedArrays().size();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<GenerationResult>> futures = new ArrayList<>();
                for (GenerationRequest r : reqs) {
                    futures.add(pool.submit(() -> model.generate(r, null)));
                }
                for (int i = 0; i < reqs.size(); i++) {
                    assertArrayEquals(sequential.get(i), futures.get(i).get().ids(), "request " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(managed, model.transformer().manager().getManagedArrays().size(), "native arrays leaked");
    }
}
