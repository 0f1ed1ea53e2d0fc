package dev.tailor.eval.domain.slices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakSlicesTest {
    private final List<ExampleResult> results = SliceFixtures.results();
    private final List<SliceKey> keys = List.of(SliceKey.sourceKind(), SliceKey.sourceFile(), SliceKey.answerLength(),
            SliceKey.conversationLength(), SliceKey.metadata("product"));

    @Test
    void namesTheWorstSlicesOfAtLeastMinSizeWithTheirWorstExamples() {
        // overall tuned ROUGE-L: (0.6 + 0.7 + 0.5 + 0.8 + 0.3 + 0.35 + 0.1 + 0.1 + 0.05 + 0.02) / 10 = 0.352;
        // below it with >= 2 examples: product (none) 0.06; product vpn, tickets.jsonl and ticket 0.075 (ties by
        // size, then name); e-mail 0.25; freshrpms.mbox and product rpm 0.325
        List<WeakSlice> weak = new WeakSlices(Slicer.DEFAULT, 2, 4, 2).find(results, keys, Metric.ROUGE_L);
        assertEquals(List.of("product = (none)", "product = vpn", "source file = tickets.jsonl",
                "source kind = ticket"), weak.stream().map(w -> w.slice().name()).toList());
        assertEquals("product = (none): ROUGE-L 0.060 vs 0.352 over all examples (2 examples)", weak.get(0).summary());
        WeakSlice ticket = weak.get(3);
        assertEquals(0.075, ticket.tunedMean(), 1e-12);
        assertEquals(0.352, ticket.overallMean(), 1e-12);
        assertEquals(List.of("tkt-2", "tkt-1"), ticket.failures().stream().map(Failure::id).toList());
        assertEquals(0.05, ticket.failures().get(0).tunedScore());
        assertEquals(0.20, ticket.failures().get(0).baseScore());
        assertEquals("Reset the password under Settings.", ticket.failures().get(0).reference());
        assertEquals("tuned answer tkt-2", ticket.failures().get(0).tunedPrediction());
    }

    @Test
    void smallSlicesAreLeftOutAndTheWholeSetIsNeverWeak() {
        List<WeakSlice> weak = new WeakSlices(Slicer.DEFAULT, 3, 5, 1).find(results, keys, Metric.ROUGE_L);
        // of the slices with >= 3 examples only e-mail (0.25) is below 0.352 (0–10 words: 2.82 / 8 = 0.3525)
        assertEquals(List.of("source kind = e-mail"), weak.stream().map(w -> w.slice().name()).toList());
        assertEquals(List.of(), new WeakSlices(Slicer.DEFAULT, 1, 5, 1)
                .find(results, List.of(SliceKey.metadata("absent")), Metric.ROUGE_L));
        assertEquals(List.of(), WeakSlices.DEFAULT.find(results, keys, Metric.CHRF));
    }
}
