package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture's golden values from an independent reference implementation (llama2.c's model.py). */
class GoldenTest {

    static LanguageModel model;
    static JsonNode golden;
    static double abs;
    static double rel;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(Fixture.dir());
        golden = Fixture.golden();
        abs = golden.path("tolerance").path("abs").asDouble();
        rel = golden.path("tolerance").path("rel").asDouble();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void tokenizerReproducesGoldenInputIds() {
        int[] ids = model.tokenizer().encode(golden.path("text").asText(), true);
        assertArrayEquals(Fixture.ints(golden.path("input_ids")), ids);
        assertEquals(golden.path("text").asText(), model.tokenizer().decode(ids));
    }

    @Test
    void logitsMatchGolden() {
        float[][] got = model.logits(Fixture.ints(golden.path("input_ids")), null);
        assertEquals(golden.path("logits").size(), got.length);
        double excess = Fixture.excess(got, golden.path("logits"), abs, rel);
        assertTrue(excess <= 0, "logits off the golden values by " + excess + " beyond tolerance");
    }

    @Test
    void adapterLogitsMatchGolden() {
        model.loadAdapter("fixture", Fixture.dir().resolve("adapter"));
        try {
            float[][] got = model.logits(Fixture.ints(golden.path("input_ids")), "fixture");
            double excess = Fixture.excess(got, golden.path("logits_with_adapter"), abs, rel);
            assertTrue(excess <= 0, "adapter logits off the golden values by " + excess + " beyond tolerance");
            // the adapter really changes the output
            float[][] base = model.logits(Fixture.ints(golden.path("input_ids")), null);
            assertTrue(Fixture.maxDiff(got, base) > 1e-3);
        } finally {
            model.unloadAdapter("fixture");
        }
    }

    @Test
    void greedyMatchesGolden() {
        JsonNode g = golden.path("greedy");
        GenerationResult r = model.generate(GenerationRequest.greedy(Fixture.ints(g.path("prompt_ids")),
                g.path("max_new_tokens").asInt()), null);
        assertArrayEquals(Fixture.ints(g.path("output_ids")), r.ids());
        assertEquals("length", r.finishReason());
        assertEquals(g.path("max_new_tokens").asInt(), r.completionTokens());
    }
}
