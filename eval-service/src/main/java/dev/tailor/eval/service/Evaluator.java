package dev.tailor.eval.service;

import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.format.ChatFormatCheck;
import dev.tailor.eval.domain.format.FormatCheck;
import dev.tailor.eval.domain.gate.BaseTuned;
import dev.tailor.eval.domain.judge.Judgement;
import dev.tailor.eval.domain.metrics.Cosine;
import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.metrics.MetricValues;
import dev.tailor.eval.domain.metrics.TextScorer;
import dev.tailor.eval.domain.report.EvalReport;
import dev.tailor.eval.domain.report.ReportAssembler;
import dev.tailor.eval.domain.report.SideResults;
import dev.tailor.eval.domain.request.EvalJob;
import dev.tailor.eval.domain.request.EvalOptions;
import dev.tailor.eval.domain.request.GenerationSettings;
import dev.tailor.eval.domain.request.MetricSettings;
import dev.tailor.eval.domain.testset.TestCase;
import dev.tailor.eval.storage.EvalStore;
import dev.tailor.eval.storage.EvalStores;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Runs one evaluation: loads both models, scores every test example with each (answer-token loss; a generated
 * answer scored with exact match, token F1, ROUGE-L, chrF and embedding cosine; format checks), measures
 * general-text perplexity, asks the judge when one is set, assembles the report (statistics, gate, slices,
 * advice) and writes it.
 */
public final class Evaluator {
    private static final Logger LOG = Logger.getLogger(Evaluator.class);
    /** The shipped general-text sample (public domain; see general-text/README.md). */
    static final String GENERAL_TEXT = "/general-text/sotu-1790-washington.txt";
    static final String GENERAL_TEXT_NAME = "State of the Union address, 1790 (public domain, shipped)";
    /** General text is scored in chunks of about this many characters. */
    static final int GENERAL_CHUNK_CHARS = 1_200;

    private final EvalStores stores;
    private final EvalSettings settings;
    private final MiniLmEmbedder embedder = new MiniLmEmbedder();

    public Evaluator(EvalStores stores, EvalSettings settings) {
        this.stores = stores;
        this.settings = settings;
    }

    /** Runs the job in its tenant: reads only that tenant's objects, writes the report under its prefix. */
    public EvalReport run(EvalJob job) {
        long t0 = System.nanoTime();
        EvalStore store = stores.of(job.tenant());
        EvalOptions options = job.options();
        List<TestCase> cases = store.testSet(job.testSetKey(), options.maxExamples());
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("test set " + store.objects().uri(job.testSetKey())
                    + " has no examples to evaluate on");
        }
        ReportAssembler.Extras extras;
        SideResults base;
        SideResults tuned;
        double generationSeconds;
        int generatedAnswers;
        try (LoadedModels models = new LoadedModels(store, job.tuned(), job.baseline())) {
            long g0 = System.nanoTime();
            Run b = run(models.baseline(), cases, options.generation());
            Run t = perBaselineToken(run(models.tuned(), cases, options.generation()), b, models);
            generationSeconds = b.generationSeconds + t.generationSeconds;
            generatedAnswers = b.generated + t.generated;
            LOG.infof("evaluation %s: %d examples, %d answers generated in %.1f s (%.1f s with losses)",
                    job.evaluationId(), cases.size(), generatedAnswers, generationSeconds, (System.nanoTime() - g0) / 1e9);
            List<String> references = cases.stream().map(TestCase::reference).toList();
            base = score(models.baseline(), cases, references, b, options.metrics());
            tuned = score(models.tuned(), cases, references, t, options.metrics());
            List<String> sources = new ArrayList<>();
            BaseTuned general = generalPerplexity(store, models, options, sources);
            List<Judgement> judgements = options.judge() == null ? null
                    : new JudgeClient(options.judge().withKeyIfAbsent(settings.judgeApiKey().orElse(null)))
                    .judge(cases, b.texts(), t.texts());
            extras = new ReportAssembler.Extras(general, sources, judgements,
                    job.tuned().isBase() ? List.of() : store.lossCurve(ObjectLayout.folderOf(
                            store.objects().keyOf(job.tuned().adapter()))), store.leakage(job.cleaningReport()));
        }
        if (!Double.isFinite(tuned.tokenWeightedLoss()) || !Double.isFinite(base.tokenWeightedLoss())) {
            throw new IllegalArgumentException("no answer tokens to score in the " + cases.size() + " examples of "
                    + store.objects().uri(job.testSetKey()) + " (the chat template refused them, or they have no "
                    + "answers)");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        EvalReport report = ReportAssembler.assemble(job, cases, base, tuned, extras, seconds,
                generationSeconds > 0 ? generatedAnswers / generationSeconds : 0);
        store.writeReport(report, Map.of("maxSeqLength", settings.maxSeqLength(), "options", options.redacted().toJson()),
                job.principal());
        LOG.infof("evaluation %s of %s: %s (%s) in %.1f s", job.evaluationId(), job.tuned().id(), report.verdict(),
                report.reason(), seconds);
        return report;
    }

    /** One model's raw outputs: losses, and a generation per generative case. */
    private record Run(List<LanguageModel.ExampleLoss> losses, List<GenerationResult> generations,
                       double generationSeconds, int generated) {
        List<String> texts() {
            return generations.stream().map(g -> g == null ? null : g.text()).toList();
        }
    }

    private Run run(LoadedModels.Runner runner, List<TestCase> cases, GenerationSettings gen) {
        LanguageModel model = runner.model();
        int seq = Math.min(settings.maxSeqLength(), model.config().maxPositionEmbeddings());
        List<LanguageModel.ExampleLoss> losses = model.answerLosses(cases.stream().map(TestCase::example).toList(),
                runner.adapter(), seq);
        List<GenerationRequest> requests = new ArrayList<>(cases.size());
        for (TestCase c : cases) {
            requests.add(request(model, runner.adapter(), c, gen));
        }
        long g0 = System.nanoTime();
        List<GenerationResult> results = Generations.generate(model, requests);
        int generated = (int) results.stream().filter(r -> r != null).count();
        return new Run(losses, results, (System.nanoTime() - g0) / 1e9, generated);
    }

    /**
     * The tuned model's losses per token of the baseline's tokenizer when its adapter reads text with its own
     * (extended) tokenizer: the nats of an answer compare across tokenizers, the token counts do not (a product term
     * is one token for the adapter, several for the base), so each answer's nats are divided by the baseline's count.
     */
    private static Run perBaselineToken(Run tuned, Run base, LoadedModels models) {
        if (!ownTokenizer(models.tuned()) || ownTokenizer(models.baseline())) {
            return tuned;
        }
        List<LanguageModel.ExampleLoss> losses = new ArrayList<>(tuned.losses().size());
        for (int i = 0; i < tuned.losses().size(); i++) {
            LanguageModel.ExampleLoss t = tuned.losses().get(i);
            int baseTokens = base.losses().get(i).tokens();
            losses.add(t.tokens() > 0 && baseTokens > 0 ? new LanguageModel.ExampleLoss(t.sum(), baseTokens) : t);
        }
        return new Run(losses, tuned.generations(), tuned.generationSeconds(), tuned.generated());
    }

    private static boolean ownTokenizer(LoadedModels.Runner r) {
        return r.adapter() != null && r.model().tokenizer(r.adapter()) != r.model().tokenizer();
    }

    private static GenerationRequest request(LanguageModel model, String adapter, TestCase c, GenerationSettings gen) {
        if (!c.generative()) {
            return null;
        }
        int[] prompt;
        try {
            prompt = model.chatPrompt(c.prompt(), adapter); // an adapter's extended tokenizer, when it has one
        } catch (ChatTemplateException e) {
            return null; // the template refuses this conversation; its loss left it out too
        }
        int room = model.config().maxPositionEmbeddings() - prompt.length;
        if (room < 1) {
            return null; // no room for an answer in the model's context
        }
        return new GenerationRequest(prompt, Math.min(gen.maxNewTokens(), room), gen.temperature(), gen.topK(),
                gen.topP(), 1.0, gen.stop(), gen.seed(), adapter);
    }

    /** Text metrics (embeddings in one batch) and format checks of one model's answers. */
    private SideResults score(LoadedModels.Runner runner, List<TestCase> cases, List<String> references, Run run,
                              MetricSettings metrics) {
        boolean embeddings = metrics.embeddings();
        TextScorer scorer = new TextScorer(metrics.chrfVariant(), null);
        ChatFormatCheck format = new ChatFormatCheck(runner.model().tokenizer().specialTokens().texts());
        List<String> answers = run.texts();
        List<float[]> answerVectors = null;
        List<float[]> referenceVectors = null;
        if (embeddings) {
            List<String> a = new ArrayList<>();
            List<String> r = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                if (answers.get(i) != null) {
                    a.add(answers.get(i));
                    r.add(references.get(i));
                }
            }
            answerVectors = embedder.embedAll(a);
            referenceVectors = embedder.embedAll(r);
        }
        double[] losses = new double[cases.size()];
        int[] tokens = new int[cases.size()];
        List<SideResults.Answer> out = new ArrayList<>(cases.size());
        int k = 0;
        for (int i = 0; i < cases.size(); i++) {
            LanguageModel.ExampleLoss l = run.losses().get(i);
            losses[i] = l.mean();
            tokens[i] = l.tokens();
            GenerationResult g = run.generations().get(i);
            if (g == null) {
                out.add(null);
                continue;
            }
            MetricValues values = scorer.score(g.text(), references.get(i));
            if (answerVectors != null) {
                values = values.with(Metric.EMBEDDING_COSINE, Cosine.similarity(answerVectors.get(k),
                        referenceVectors.get(k)));
            }
            k++;
            FormatCheck check = format.check(g.text(), g.finishReason(), references.get(i));
            out.add(new SideResults.Answer(g.text(), values, check));
        }
        return new SideResults(losses, tokens, out);
    }

    /** Perplexity of both models on the shipped general text and the user's samples; null when none scores. */
    private BaseTuned generalPerplexity(EvalStore store, LoadedModels models, EvalOptions options, List<String> sources) {
        List<ChatExample> chunks = new ArrayList<>(chunks(shippedText()));
        sources.add(GENERAL_TEXT_NAME);
        for (String uri : options.generalText()) {
            chunks.addAll(chunks(store.text(uri)));
            sources.add(uri);
        }
        try {
            double base = loss(models.baseline(), chunks);
            double tuned = loss(models.tuned(), chunks);
            return new BaseTuned(Math.exp(base), Math.exp(tuned));
        } catch (IllegalArgumentException e) {
            LOG.warnf("general-text perplexity not measured: %s", e.getMessage());
            sources.clear();
            return null;
        }
    }

    private double loss(LoadedModels.Runner runner, List<ChatExample> chunks) {
        LanguageModel m = runner.model();
        int seq = Math.min(settings.maxSeqLength(), m.config().maxPositionEmbeddings());
        return m.meanAnswerLoss(chunks, runner.adapter(), seq);
    }

    static List<ChatExample> chunks(String text) {
        List<ChatExample> out = new ArrayList<>();
        String t = text.strip();
        int from = 0;
        while (from < t.length()) {
            int to = Math.min(t.length(), from + GENERAL_CHUNK_CHARS);
            if (to < t.length()) {
                int space = t.lastIndexOf(' ', to);
                to = space > from + GENERAL_CHUNK_CHARS / 2 ? space : to;
            }
            String piece = t.substring(from, to).strip();
            if (!piece.isEmpty()) {
                out.add(ChatExample.ofText(piece));
            }
            from = to;
        }
        return out;
    }

    private static String shippedText() {
        try (InputStream in = Evaluator.class.getResourceAsStream(GENERAL_TEXT)) {
            if (in == null) {
                throw new IllegalStateException(GENERAL_TEXT + " is missing from the eval service's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
