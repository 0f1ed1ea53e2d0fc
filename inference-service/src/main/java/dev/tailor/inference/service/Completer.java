package dev.tailor.inference.service;

import dev.tailor.common.events.DeploymentTarget;
import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.ChatRequest;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Turns a validated request into a generation: resolves the name (an alias picks its model, or its canary), checks
 * the prompt and {@code max_tokens} against the context, and admits it into the model's decode loop. Its outcome
 * carries the result or why there is none (deadline, client gone, failure), and the timings.
 */
@ApplicationScoped
public class Completer {
    private static final String TIMEOUT_SETTING = "tailor.inference.request-timeout";

    private final ModelHost host;
    private final InferenceSettings settings;
    private final ServingMetrics metrics;
    private final CompletionLog log;
    private final Tracer tracer;

    public Completer(ModelHost host, InferenceSettings settings, ServingMetrics metrics, CompletionLog log,
                     Tracer tracer) {
        this.host = host;
        this.settings = settings;
        this.metrics = metrics;
        this.log = log;
        this.tracer = tracer;
    }

    /** A request bound to the model that will answer it. */
    public record Prepared(String tenant, ChatRequest request, ModelRegistry.Resolved resolved,
                           ModelHost.Loaded loaded, GenerationRequest generation, long receivedNanos,
                           long deadlineNanos) {
        /** The id of the model that answers (an alias's model or canary, never the alias). */
        public String answeringModel() {
            return resolved.target().id();
        }
    }

    /**
     * How a generation ended: its result, or the error to answer with (deadline, failure), or neither when the
     * client went away. Times in nanoseconds from the request's arrival.
     */
    public record Outcome(GenerationResult result, RuntimeException error, long firstTokenNanos, long totalNanos) {
    }

    /** A generation admitted into its model's loop. */
    public record Running(DecodeLoop.Admitted admitted, CompletableFuture<Outcome> outcome) {
        /** The client went away: stop the generation and free its place in the batch. */
        public void cancel() {
            admitted.cancel();
        }
    }

    /**
     * A request of a caller of {@code tenant}: only the tenant's models answer, another's are unknown.
     *
     * @param timeout the caller's deadline for this request (header {@code X-Request-Timeout}), or null; never longer
     *                than {@code tailor.inference.request-timeout}
     */
    public Prepared prepare(String tenant, ChatRequest r, Duration timeout) {
        long received = System.nanoTime();
        Duration most = settings.requestTimeout();
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw OpenAiException.invalid("X-Request-Timeout must be a positive number of seconds", null);
        }
        Duration deadline = timeout == null || timeout.compareTo(most) > 0 ? most : timeout;
        ModelRegistry.Resolved resolved = host.resolve(tenant, r.model(), r.user())
                .orElseThrow(() -> OpenAiException.unknownModel(r.model()));
        ModelHost.Loaded loaded = host.loaded(tenant, resolved.target());
        LanguageModel model = loaded.model();
        // chat templates carry their own special tokens; a plain prompt gets the tokenizer's (e.g. BOS); an adapter
        // that extends the vocabulary reads the prompt with its own tokenizer
        String adapterName = resolved.target().adapter();
        int[] ids = r.messages() == null ? model.tokenizer(adapterName).encode(r.prompt(), true)
                : chatPrompt(r, model, adapterName);
        int context = loaded.loop().sequenceCapacity();
        String limit = context < model.config().maxPositionEmbeddings()
                ? " on this server (tailor.inference.batching.max-sequence-tokens)" : "";
        String param = r.messages() == null ? "prompt" : "messages";
        if (ids.length >= context) {
            throw new OpenAiException("This model's maximum context length is " + context + " tokens" + limit
                    + ". However, your " + param + " resulted in " + ids.length + " tokens. Please reduce the length"
                    + " of the " + param + ".", OpenAiException.INVALID_REQUEST, param,
                    OpenAiException.CONTEXT_LENGTH_EXCEEDED);
        }
        if (r.maxTokens() != null && r.maxTokens() > settings.maxTokensLimit()) {
            throw OpenAiException.invalid("max_tokens must be at most " + settings.maxTokensLimit() + ", got "
                    + r.maxTokens(), "max_tokens");
        }
        if (r.maxTokens() != null && ids.length + r.maxTokens() > context) {
            throw new OpenAiException("This model's maximum context length is " + context + " tokens" + limit
                    + ". However, you requested " + (ids.length + r.maxTokens()) + " tokens (" + ids.length
                    + " in the " + param + ", " + r.maxTokens() + " in the completion). Please reduce the length of"
                    + " the " + param + " or completion.", OpenAiException.INVALID_REQUEST, param,
                    OpenAiException.CONTEXT_LENGTH_EXCEEDED);
        }
        int maxNew = r.maxTokens() != null ? r.maxTokens() : Math.min(settings.defaultMaxTokens(), context - ids.length);
        GenerationRequest request = new GenerationRequest(ids, maxNew, r.temperature(), 0, r.topP(), 1.0, r.stop(),
                r.seed(), resolved.target().adapter());
        return new Prepared(tenant, r, resolved, loaded, request, received, received + deadline.toNanos());
    }

    /**
     * Admits a prepared request into its model's decode loop; {@code onText} (or null) gets the text of each token as
     * it is generated, on the loop's thread: it must not block.
     *
     * @throws OpenAiException 429 when the model's queue is full
     */
    public Running start(Prepared p, Consumer<String> onText, String completionId) {
        String model = p.loaded().loop().name();
        String adapter = p.answeringModel();
        long[] times = new long[2]; // first token, last token (nanoTime)
        Span span = GenerationSpans.start(tracer, p, model);
        DecodeLoop.Admitted admitted;
        try {
            admitted = p.loaded().loop().submit(p.generation(), (id, delta) -> {
                long now = System.nanoTime();
                if (times[0] == 0) {
                    times[0] = now;
                    span.addEvent("first_token");
                    metrics.firstToken(model, adapter, now - p.receivedNanos());
                } else {
                    metrics.interToken(model, adapter, now - times[1]);
                }
                times[1] = now;
                if (onText != null && !delta.isEmpty()) {
                    onText.accept(delta);
                }
            }, p.deadlineNanos());
        } catch (OpenAiException e) {
            metrics.rejected(model, adapter);
            GenerationSpans.end(span, null, e);
            throw e;
        }
        CompletableFuture<Outcome> outcome = admitted.sequence().completion().handle((result, failure) ->
                ended(p, completionId, admitted, model, adapter, times, result, failure))
                .whenComplete((o, e) -> GenerationSpans.end(span, o == null ? null : o.result(),
                        o == null ? null : o.error()));
        return new Running(admitted, outcome);
    }

    private Outcome ended(Prepared p, String completionId, DecodeLoop.Admitted admitted, String model, String adapter,
                          long[] times, GenerationResult result, Throwable failure) {
        long total = System.nanoTime() - p.receivedNanos();
        long first = times[0] == 0 ? 0 : times[0] - p.receivedNanos();
        if (failure != null) {
            RuntimeException error = failure instanceof RuntimeException re ? re
                    : new IllegalStateException(failure.getMessage(), failure);
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            metrics.finished(model, adapter, "error", total, p.generation().promptIds().length, 0);
            return new Outcome(null, cause instanceof RuntimeException re ? re : error, first, total);
        }
        if (admitted.timedOut()) {
            metrics.finished(model, adapter, "timeout", total, result.promptTokens(), result.completionTokens());
            return new Outcome(result, OpenAiException.timeout(
                    Duration.ofNanos(p.deadlineNanos() - p.receivedNanos()), TIMEOUT_SETTING), first, total);
        }
        metrics.finished(model, adapter, result.finishReason(), total, result.promptTokens(),
                result.completionTokens());
        Outcome done = new Outcome(result, null, first, total);
        if (!"cancelled".equals(result.finishReason())) {
            log.logIfEnabled(p, completionId, done);
        }
        return done;
    }

    /** The conversation through the model's chat template, message text kept as text; refusals as OpenAI errors. */
    private static int[] chatPrompt(ChatRequest r, LanguageModel model, String adapter) {
        try {
            return model.chatPrompt(r.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList(),
                    adapter);
        } catch (ChatTemplateException e) {
            throw OpenAiException.chatTemplate(r.model(), e);
        }
    }

    /** The deployment target of a prepared request that came through an alias (null otherwise). */
    static DeploymentTarget deployed(Prepared p) {
        return p.resolved().deployed();
    }
}
