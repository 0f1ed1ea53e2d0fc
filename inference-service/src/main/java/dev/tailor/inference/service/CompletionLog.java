package dev.tailor.inference.service;

import dev.tailor.common.events.CompletionLogged;
import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.filter.PiiRedactor;
import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.ChatRequest;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Logs the completions of deployments that opt in ({@code log_completions}): the conversation and the answer with
 * personal data replaced by placeholders (dataprep's {@link PiiRedactor}, the one cleaning uses), the model that
 * answered and the timings. Written to {@code completions/{id}.json} first (what {@code POST /v1/feedback} finds),
 * then published as {@code tailor.completions.logged}. Off the decode thread: a slow store never slows generation.
 */
@ApplicationScoped
public class CompletionLog {
    private static final Logger LOG = Logger.getLogger(CompletionLog.class);

    private final ObjectStore store;
    private final EventSink events;
    private final InferenceSettings settings;
    private final ExecutorService writer = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "completion-log");
        t.setDaemon(true);
        return t;
    });

    public CompletionLog(ObjectStore store, EventSink events, InferenceSettings settings) {
        this.store = store;
        this.events = events;
        this.settings = settings;
    }

    /** A redactor with the configured extra patterns (not thread-safe: one per use). */
    public PiiRedactor redactor() {
        return new PiiRedactor(settings.feedback().piiPatterns());
    }

    /** Logs the completion when it came through an alias that logs completions. */
    void logIfEnabled(Completer.Prepared p, String completionId, Completer.Outcome outcome) {
        DeploymentTarget target = p.resolved().deployed();
        if (target == null || !p.resolved().route().logCompletions() || outcome.result() == null) {
            return;
        }
        writer.execute(() -> {
            try {
                log(p, completionId, target, outcome);
            } catch (RuntimeException e) {
                LOG.warnf("completion %s of %s was not logged: %s", completionId, p.resolved().route().alias(),
                        e.getMessage());
            }
        });
    }

    private void log(Completer.Prepared p, String completionId, DeploymentTarget target, Completer.Outcome o) {
        PiiRedactor redactor = redactor();
        ChatRequest r = p.request();
        List<CompletionLogged.Message> messages = r.messages() == null
                ? List.of(new CompletionLogged.Message("user", redactor.redact(r.prompt())))
                : r.messages().stream().map(m -> new CompletionLogged.Message(m.role(), redactor.redact(m.content())))
                .toList();
        String answer = redactor.redact(o.result().text());
        long redactions = redactor.counts().values().stream().mapToLong(Long::longValue).sum();
        CompletionLogged logged = CompletionLogged.create(p.tenant(), completionId, p.resolved().route().alias(),
                target, messages, answer, o.result().finishReason(), o.result().promptTokens(),
                o.result().completionTokens(), TimeUnit.NANOSECONDS.toMillis(o.totalNanos()),
                TimeUnit.NANOSECONDS.toMillis(o.firstTokenNanos()), redactions);
        store.putJson(new ObjectLayout(p.tenant()).completion(completionId), logged);
        events.publish(logged);
    }

    void onStop(@Observes ShutdownEvent event) {
        writer.shutdown();
    }
}
