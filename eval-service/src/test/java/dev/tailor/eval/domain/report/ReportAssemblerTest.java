package dev.tailor.eval.domain.report;

import dev.tailor.eval.domain.request.Lineage;
import dev.tailor.eval.domain.request.ModelSide;
import dev.tailor.eval.domain.request.SweepCandidate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.eval.domain.format.ChatFormatCheck;
import dev.tailor.eval.domain.gate.BaseTuned;
import dev.tailor.eval.domain.metrics.Chrf;
import dev.tailor.eval.domain.metrics.TextScorer;
import dev.tailor.eval.domain.request.EvalJob;
import dev.tailor.eval.domain.request.EvalOptions;
import dev.tailor.eval.domain.testset.TestCase;
import dev.tailor.eval.domain.testset.TestSetReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report from two models' answers: statistics, gate, slices, examples, and the page. */
class ReportAssemblerTest {
    static final TextScorer SCORER = new TextScorer(Chrf.CHRF, null);
    static final ChatFormatCheck FORMAT = new ChatFormatCheck();

    static List<TestCase> cases(int n) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String kind = i % 3 == 0 ? "ticket" : "faq";
            b.append("{\"messages\":[{\"role\":\"user\",\"content\":\"question ").append(i)
                    .append(" <script>alert(1)</script>\"},{\"role\":\"assistant\",\"content\":\"the answer is ")
                    .append(i).append(" apples\"}],\"source\":{\"file\":\"f.jsonl\",\"kind\":\"").append(kind)
                    .append("\"},\"metadata\":{\"product\":\"p").append(i % 2).append("\"}}\n");
        }
        return TestSetReader.read(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)), "t", n);
    }

    /** Answers: {@code good} of them right (the reference), the rest off; losses as given. */
    static SideResults side(List<TestCase> cases, int good, double loss, String finish) {
        List<SideResults.Answer> answers = new ArrayList<>();
        double[] losses = new double[cases.size()];
        int[] tokens = new int[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            String ref = cases.get(i).reference();
            String text = i < good ? ref : "no idea, sorry <|im_end|>";
            answers.add(new SideResults.Answer(text, SCORER.score(text, ref), FORMAT.check(text, finish, ref)));
            losses[i] = loss + 0.01 * i;
            tokens[i] = 10;
        }
        return new SideResults(losses, tokens, answers);
    }

    static EvalJob job(String id, EvalOptions options) {
        return new EvalJob(id, EvalReport.TRAINING, new ModelSide(id, "base", "s3://b/t/models/tuned/" + id + "/"),
                ModelSide.base("base"), "t/datasets/d/v/test.jsonl", new Lineage("d", "v", "job-1", null, null,
                "s3://b/t/datasets/d/v/test.jsonl"), options, null, null, "t", "alice");
    }

    @Test
    void aModelThatAnswersMoreRightIsPromotedWithTheNumbersAndTheReportReadsBack() throws Exception {
        List<TestCase> cases = cases(12);
        SideResults base = side(cases, 2, 3.0, "length");
        SideResults tuned = side(cases, 10, 2.0, "stop");
        EvalReport r = ReportAssembler.assemble(job("ft-1", EvalOptions.DEFAULT), cases, base, tuned,
                new ReportAssembler.Extras(new BaseTuned(40, 41), List.of("shipped"), null, List.of(), null), 3.0,
                8.0);
        assertEquals(EvalReport.PROMOTE, r.verdict(), r.reason());
        assertTrue(r.reason().startsWith("Promoted: the lower 95 % bound of the ROUGE-L gain"), r.reason());
        assertEquals(12, r.generated());
        MetricRow em = r.metric("exact_match");
        assertEquals(8, em.comparison().winTieLoss().wins());
        assertTrue(em.comparison().mcnemar().pValue() < 0.05, "8 of 8 discordant pairs favour the tuned model");
        assertEquals(1.0, r.metric("answer_loss").comparison().meanGain(), 1e-9);
        assertEquals(-1.0 / 3.055, r.testLoss().relativeChange(), 1e-9); // mean losses 3.055 and 2.055
        assertEquals(12, r.tunedFormat().answers());
        assertEquals(2, r.tunedFormat().leaked(), "the wrong answers leak <|im_end|>");
        assertEquals(12, r.baseFormat().hitMaxTokens());
        assertTrue(r.slices().stream().anyMatch(s -> s.by().equals("source kind") && s.value().equals("ticket")));
        assertTrue(r.slices().stream().anyMatch(s -> s.by().equals("all") && s.count() == 12));
        assertEquals(3, r.largestGains().size());
        assertTrue(r.worstRegressions().isEmpty());
        assertEquals(12, r.results().size());

        ObjectMapper json = dev.tailor.common.json.Json.mapper();
        EvalReport back = json.readValue(json.writeValueAsBytes(r), EvalReport.class);
        assertTrue(json.writeValueAsString(r).equals(json.writeValueAsString(back)), "the report reads back as written");

        String html = ReportHtml.render(r);
        assertFalse(html.contains("<script>alert"), "contents are escaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(html.contains("http://") && html.contains("src=\"http"), "nothing is loaded from elsewhere");
        assertTrue(html.contains("<svg") && html.contains("Largest gains") && html.contains("Lineage"));
    }

    @Test
    void forgettingDecidesWhenGeneralTextPerplexityRisesTooMuch() throws Exception {
        List<TestCase> cases = cases(12);
        EvalReport r = ReportAssembler.assemble(job("ft-2", EvalOptions.DEFAULT), cases, side(cases, 2, 3.0, "stop"),
                side(cases, 10, 2.0, "stop"), new ReportAssembler.Extras(new BaseTuned(40, 50), List.of(), null,
                        List.of(), null), 1, 1);
        assertEquals(EvalReport.REJECT, r.verdict());
        assertEquals("general-text perplexity", r.gate().verdict().deciding().name());
        assertTrue(r.reason().contains("50.00 vs base 40.00 (+25.0 %)"), r.reason());
    }

    @Test
    void aSweepPromotesOnlyItsBestCandidate() throws Exception {
        List<TestCase> cases = cases(12);
        List<EvalReport> reports = new ArrayList<>();
        int[] good = {6, 10, 1};
        for (int i = 0; i < 3; i++) {
            EvalJob j = job("ft-s" + i, EvalOptions.DEFAULT);
            j = new EvalJob(j.evaluationId(), j.trigger(), j.tuned(), j.baseline(), j.testSetKey(), j.lineage(),
                    j.options(), new SweepCandidate("sw-1", i, 3, null), null, j.tenant(), j.principal());
            reports.add(ReportAssembler.assemble(j, cases, side(cases, 1, 3.0, "stop"), side(cases, good[i], 2.0,
                    "stop"), new ReportAssembler.Extras(new BaseTuned(40, 40), List.of(), null, List.of(), null), 1, 1));
        }
        assertTrue(reports.get(0).promoted() && reports.get(1).promoted() && !reports.get(2).promoted());
        List<EvalReport> decided = new SweepDecision().decide(reports);
        assertEquals(List.of(EvalReport.REJECT, EvalReport.PROMOTE, EvalReport.REJECT),
                decided.stream().map(EvalReport::verdict).toList());
        assertTrue(decided.get(1).reason().startsWith("Best of 3 sweep candidates by the lower bound of the ROUGE-L"),
                decided.get(1).reason());
        assertTrue(decided.get(0).reason().startsWith("Passed the gate, but sweep candidate ft-s1 scored higher"),
                decided.get(0).reason());
        assertEquals(reports.get(2).reason(), decided.get(2).reason(), "a candidate the gate rejected keeps its reason");
        decided.forEach(d -> assertEquals("ft-s1", d.sweep().best()));
    }
}
