package dev.tailor.eval.domain.slices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tailor.eval.domain.metrics.Metric;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicerTest {
    private final List<ExampleResult> results = SliceFixtures.results();

    @Test
    void bySourceKindWithCountsAndEveryMetric() {
        List<SliceStats> slices = Slicer.DEFAULT.slices(results, SliceKey.sourceKind());
        assertEquals(List.of("FAQ", "e-mail", "ticket", "document"), slices.stream().map(SliceStats::value).toList());
        SliceStats faq = slices.get(0);
        assertEquals(4, faq.count());
        assertEquals(List.of("faq-1", "faq-2", "faq-3", "faq-4"), faq.exampleIds());
        MetricSummary rouge = faq.metrics().get(Metric.ROUGE_L);
        assertEquals(0.25, rouge.meanBase(), 1e-12);
        assertEquals(0.65, rouge.meanTuned(), 1e-12);
        assertEquals(0.40, rouge.meanGain(), 1e-12);
        assertEquals(0.5, faq.metrics().get(Metric.EXACT_MATCH).meanTuned(), 1e-12);
        assertEquals("source kind = ticket", slices.get(2).name());
        assertEquals(0.075, slices.get(2).metrics().get(Metric.ROUGE_L).meanTuned(), 1e-12);
        assertEquals(-0.175, slices.get(2).metrics().get(Metric.ROUGE_L).meanGain(), 1e-12);
        assertEquals(10, Slicer.DEFAULT.overall(results).count());
    }

    @Test
    void byFileLengthsAndMetadata() {
        assertEquals(List.of("(none)", "faq.html", "freshrpms.mbox", "ilug.mbox", "tickets.jsonl"),
                Slicer.DEFAULT.slices(results, SliceKey.sourceFile()).stream().map(SliceStats::value).toList());
        List<SliceStats> answer = Slicer.DEFAULT.slices(results, SliceKey.answerLength());
        assertEquals(List.of("0–10 words", "11–30 words", "31–100 words"),
                answer.stream().map(SliceStats::value).toList());
        assertEquals(List.of(8, 1, 1), answer.stream().map(SliceStats::count).toList());
        List<SliceStats> turns = Slicer.DEFAULT.slices(results, SliceKey.conversationLength());
        assertEquals(List.of("1 turn", "2 turns", "3–4 turns", "> 4 turns"),
                turns.stream().map(SliceStats::value).toList());
        assertEquals(List.of(6, 2, 1, 1), turns.stream().map(SliceStats::count).toList());
        List<SliceStats> product = Slicer.DEFAULT.slices(results, SliceKey.parse("product"));
        assertEquals(List.of("(none)", "rpm", "sqlite", "vpn"), product.stream().map(SliceStats::value).toList());
        assertEquals("product = vpn", product.get(3).name());
    }

    @Test
    void keysAndBucketsParseAndValidate() {
        assertEquals(SliceKey.sourceKind(), SliceKey.parse("source-kind"));
        assertEquals(SliceKey.metadata("category"), SliceKey.parse("metadata.category"));
        assertEquals(SliceKey.conversationLength(), SliceKey.parse("conversation_length"));
        assertThrows(IllegalArgumentException.class, () -> SliceKey.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> new SliceKey(SliceKey.Kind.SOURCE_FILE, "x"));
        assertEquals("> 300 words", LengthBuckets.ANSWER_WORDS.label(301));
        assertEquals("101–300 words", LengthBuckets.ANSWER_WORDS.label(300));
        assertThrows(IllegalArgumentException.class, () -> new LengthBuckets(0, List.of(5, 5), "words", "word"));
        assertEquals(SourceKind.EMAIL, SourceKind.of("E-Mail"));
        assertEquals(SourceKind.OTHER, SourceKind.of(null));
    }
}
