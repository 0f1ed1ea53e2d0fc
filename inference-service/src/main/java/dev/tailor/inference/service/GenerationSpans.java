package dev.tailor.inference.service;

import dev.tailor.llm.generate.GenerationResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;

/**
 * One trace span per generation, a child of the request's HTTP span: {@code chat {model}} (OpenTelemetry's GenAI
 * conventions: requested and answering model, max tokens, token usage, finish reason) from admission to the last
 * token, with an event at the first token and the loaded model that batched it ({@code tailor.batch.model}).
 */
final class GenerationSpans {

    private GenerationSpans() {
    }

    static Span start(Tracer tracer, Completer.Prepared p, String loadedModel) {
        return tracer.spanBuilder((p.request().messages() == null ? "text_completion " : "chat ")
                        + p.answeringModel()).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("gen_ai.operation.name", p.request().messages() == null ? "text_completion" : "chat")
                .setAttribute("gen_ai.request.model", p.request().model())
                .setAttribute("gen_ai.response.model", p.answeringModel())
                .setAttribute("gen_ai.request.max_tokens", p.generation().maxNewTokens())
                .setAttribute("gen_ai.usage.input_tokens", p.generation().promptIds().length)
                .setAttribute("tailor.batch.model", loadedModel)
                .startSpan();
    }

    /** Ends the span with the result's usage and finish reason, or the error; never throws. */
    static void end(Span span, GenerationResult result, RuntimeException error) {
        try {
            if (result != null) {
                span.setAttribute("gen_ai.usage.output_tokens", result.completionTokens());
                span.setAttribute(io.opentelemetry.api.common.AttributeKey.stringArrayKey(
                        "gen_ai.response.finish_reasons"), List.of(result.finishReason()));
            }
            if (error != null) {
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
                span.setAttribute("error.type", error.getClass().getSimpleName());
            }
            span.end();
        } catch (RuntimeException e) {
            // tracing must never change an answer
        }
    }
}
