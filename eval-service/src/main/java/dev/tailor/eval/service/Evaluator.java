package dev.tailor.eval.service;

import dev.tailor.common.events.ModelTrained;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.eval.config.EvalSettings;
import dev.tailor.eval.domain.EvalReport;
import dev.tailor.eval.domain.ReportHtml;
import dev.tailor.eval.domain.Verdict;
import dev.tailor.common.storage.LocalModelCache;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.generate.GenerationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Scores base and tuned model on the held-out test split (mean answer-token loss, perplexity, a few greedy
 * samples) and writes {@code evals/{modelId}/report.json}, {@code report.html} and {@code manifest.json}.
 */
public final class Evaluator {
    private static final Logger LOG = Logger.getLogger(Evaluator.class);
    private static final String TUNED = "tuned";

    private final ObjectStore store;
    private final EvalSettings settings;

    public Evaluator(ObjectStore store, EvalSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The report already written for this model (a redelivered event), if any. */
    public Optional<EvalReport> existing(ObjectLayout layout, String modelId) {
        String key = layout.evalReport(modelId, "json");
        return store.exists(key) ? Optional.of(store.getJson(key, EvalReport.class)) : Optional.empty();
    }

    /**
     * Scores the event's model in its tenant's layout ({@code layout}): the test split and the adapter must lie under
     * the tenant's prefix, and models are cached in a folder of the tenant's own.
     */
    public EvalReport evaluate(ObjectLayout layout, ModelTrained event) {
        long t0 = System.nanoTime();
        String testKey = layout.owned("testSplit", store.keyOf(event.testSplit()));
        String tunedPrefix = layout.owned("adapter", ObjectLayout.folderOf(store.keyOf(event.adapter())));
        LocalModelCache cache = new LocalModelCache(store, Path.of(settings.cacheDir()).resolve(layout.tenant()));
        List<ChatExample> test = readExamples(testKey, settings.maxExamples());
        if (test.isEmpty()) {
            throw new IllegalArgumentException("test split " + event.testSplit() + " has no examples to evaluate on");
        }
        Path baseDir = cache.folder("base", event.baseModel(), layout.baseModel(event.baseModel()), false);
        Path tunedDir = cache.folder("tuned", event.modelId(), tunedPrefix, true);
        boolean adapter = Files.exists(tunedDir.resolve("adapter_config.json"));
        double baseLoss;
        double tunedLoss;
        List<EvalReport.Sample> samples = new ArrayList<>();
        try (LanguageModel base = LanguageModel.load(baseDir)) {
            // examples longer than the model's context are cut to it
            int seq = Math.min(settings.maxSeqLength(), base.config().maxPositionEmbeddings());
            baseLoss = base.meanAnswerLoss(test, null, seq);
            if (adapter) {
                base.loadAdapter(TUNED, tunedDir);
                tunedLoss = base.meanAnswerLoss(test, TUNED, seq);
                samples = samples(base, test, base, TUNED);
            } else {
                try (LanguageModel full = LanguageModel.load(tunedDir)) {
                    tunedLoss = full.meanAnswerLoss(test, null, seq);
                    samples = samples(base, test, full, null);
                }
            }
        }
        Verdict verdict = Verdict.decide(baseLoss, tunedLoss, settings.minImprovement());
        EvalReport report = new EvalReport(event.modelId(), event.jobId(), event.datasetId(), event.datasetVersion(),
                event.baseModel(), event.adapter(), event.testSplit(), test.size(), baseLoss, tunedLoss,
                Math.exp(baseLoss), Math.exp(tunedLoss), verdict.relativeImprovement(), settings.minImprovement(),
                verdict.verdict(), verdict.reason(), samples, Instant.now(), (System.nanoTime() - t0) / 1e9);
        write(layout, report, event.principal());
        LOG.infof("model %s: %s (%s)", report.modelId(), report.verdict(), report.reason());
        return report;
    }

    /** Writes report.html, then report.json, then the manifest (the json is what marks the work as done). */
    private void write(ObjectLayout layout, EvalReport report, String principal) {
        String html = layout.evalReport(report.modelId(), "html");
        String json = layout.evalReport(report.modelId(), "json");
        store.putString(html, ReportHtml.render(report), "text/html");
        store.putJson(json, report);
        Manifest manifest = Manifest.of("eval-service", layout.tenant())
                .dataset(report.datasetId(), report.datasetVersion()).job(report.jobId(), report.modelId())
                .input("baseModel", store.uri(layout.baseModel(report.baseModel()))).input("adapter", report.adapter())
                .input("testSplit", report.testSplit()).output("report", store.uri(json)).output("html", store.uri(html))
                .count("examples", report.examples())
                .detail("settings", Map.of("minImprovement", settings.minImprovement(),
                        "maxExamples", settings.maxExamples(), "maxSeqLength", settings.maxSeqLength()))
                .principal(principal).build();
        store.putJson(ObjectLayout.manifest(layout.evalPrefix(report.modelId())), manifest);
    }

    private List<EvalReport.Sample> samples(LanguageModel base, List<ChatExample> test, LanguageModel tuned,
                                            String tunedAdapter) {
        List<EvalReport.Sample> out = new ArrayList<>();
        for (ChatExample example : test) {
            if (out.size() >= settings.samples()) {
                break;
            }
            List<ChatMessage> messages = example.messages();
            if (example.isText() || messages.size() < 2
                    || !"assistant".equals(messages.get(messages.size() - 1).role())) {
                continue;
            }
            int[] prompt;
            try {
                prompt = base.chatPrompt(messages.subList(0, messages.size() - 1));
            } catch (ChatTemplateException e) {
                continue; // the template refuses this conversation; the loss left it out too
            }
            if (prompt.length + settings.sampleMaxTokens() > base.config().maxPositionEmbeddings()) {
                continue; // no room for an answer in the model's context
            }
            out.add(new EvalReport.Sample(messages.get(messages.size() - 2).content(),
                    messages.get(messages.size() - 1).content(), greedy(base, prompt, null),
                    greedy(tuned, prompt, tunedAdapter)));
        }
        return out;
    }

    private String greedy(LanguageModel model, int[] prompt, String adapter) {
        return model.generate(new GenerationRequest(prompt, settings.sampleMaxTokens(), 0.0, 0, 1.0, 1.0, List.of(),
                0L, adapter), null).text();
    }

    private List<ChatExample> readExamples(String key, int max) {
        try (InputStream in = store.get(key)) {
            return ChatExample.readJsonl(in, store.uri(key), max);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + store.uri(key), e);
        }
    }
}
