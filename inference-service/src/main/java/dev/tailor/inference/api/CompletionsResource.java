package dev.tailor.inference.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.common.auth.Roles;
import dev.tailor.inference.domain.ChatRequest;
import dev.tailor.inference.domain.ChatRequestParser;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.inference.service.Completer;
import dev.tailor.llm.generate.GenerationResult;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import dev.tailor.security.identity.Callers;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * OpenAI-compatible {@code POST /v1/chat/completions} and {@code POST /v1/completions}: JSON, or with
 * {@code stream: true} server-sent events ({@code data: {chunk}} lines, then {@code data: [DONE]}). Requests are
 * admitted into their model's decode loop (continuous batching) or refused with 429 when it is full; the worker
 * thread is freed at once and the answer is written when generation ends (or token by token). A client that
 * disconnects, streaming or not, stops its generation and frees its place in the batch. The response's
 * {@code model} is the model that answered (an alias's model or canary). A caller reaches only its tenant's models
 * (role inference-client).
 */
@Path("/v1")
public class CompletionsResource {
    private static final String EVENT_STREAM = "text/event-stream";
    private static final String JSON_TYPE = "application/json";
    /** Header of a request's own deadline, in seconds. */
    static final String TIMEOUT_HEADER = "X-Request-Timeout";

    private final Completer completer;
    private final ObjectMapper json;
    private final Callers callers;

    public CompletionsResource(Completer completer, ObjectMapper json, Callers callers) {
        this.completer = completer;
        this.json = json;
        this.callers = callers;
    }

    @POST
    @Path("/chat/completions")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the completion, or server-sent events with stream=true"),
            @APIResponse(responseCode = "400", description = "invalid request (OpenAI error object)", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "404", description = "unknown model", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "408", description = "past the deadline", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "413", description = "body over tailor.inference.max-body-bytes", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "415", description = "not JSON", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "422", description = "the model's chat template failed", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "429", description = "at capacity: retry after Retry-After", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.INFERENCE_CLIENT)
    @Blocking
    public RestMulti<byte[]> chat(@HeaderParam("Content-Type") String contentType,
                                  @HeaderParam(TIMEOUT_HEADER) String timeout,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON)) byte[] body) {
        ChatRequest request = ChatRequestParser.chat(RequestBodies.json(contentType, body));
        return respond(request, "chatcmpl-", true, timeout);
    }

    @POST
    @Path("/completions")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "the completion, or server-sent events with stream=true"),
            @APIResponse(responseCode = "400", description = "invalid request (OpenAI error object)", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "404", description = "unknown model", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "408", description = "past the deadline", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "413", description = "body over tailor.inference.max-body-bytes", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "415", description = "not JSON", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "422", description = "the model's chat template failed", content = @Content(mediaType = MediaType.APPLICATION_JSON)),
            @APIResponse(responseCode = "429", description = "at capacity: retry after Retry-After", content = @Content(mediaType = MediaType.APPLICATION_JSON))})
    @RolesAllowed(Roles.INFERENCE_CLIENT)
    @Blocking
    public RestMulti<byte[]> completion(@HeaderParam("Content-Type") String contentType,
                                        @HeaderParam(TIMEOUT_HEADER) String timeout,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON)) byte[] body) {
        ChatRequest request = ChatRequestParser.completion(RequestBodies.json(contentType, body));
        return respond(request, "cmpl-", false, timeout);
    }

    /** {@code X-Request-Timeout: seconds}: the caller's deadline (the server's own is the most). */
    private static Duration timeout(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException | ArithmeticException e) {
            throw OpenAiException.invalid(TIMEOUT_HEADER + " must be a number of seconds, got '" + header + "'", null);
        }
    }

    private RestMulti<byte[]> respond(ChatRequest request, String idPrefix, boolean chat, String timeout) {
        Completer.Prepared prepared = completer.prepare(callers.current().tenant(), request, timeout(timeout));
        String id = idPrefix + UUID.randomUUID().toString().replace("-", "");
        Shapes shapes = new Shapes(id, Instant.now().getEpochSecond(), prepared.answeringModel(), chat);
        UnicastProcessor<byte[]> out = UnicastProcessor.create();
        if (request.stream() && chat) {
            out.onNext(sse(shapes.roleChunk())); // dropped with the processor if the request is refused below
        }
        Consumer<String> onText = request.stream() ? text -> out.onNext(sse(shapes.delta(text))) : null;
        Completer.Running running = completer.start(prepared, onText, id);
        running.outcome().whenComplete((outcome, failure) -> {
            try {
                finish(request, shapes, outcome, out);
            } catch (RuntimeException e) {
                out.onError(e);
            }
        });
        Multi<byte[]> body = out.onCancellation().invoke(running::cancel);
        return RestMulti.fromMultiData(body).status(200)
                .header("Content-Type", request.stream() ? EVENT_STREAM : JSON_TYPE)
                .header("Cache-Control", "no-cache").build();
    }

    private void finish(ChatRequest request, Shapes shapes, Completer.Outcome outcome, UnicastProcessor<byte[]> out) {
        GenerationResult r = outcome.result();
        if (r != null && dev.tailor.llm.generate.Sequence.CANCELLED.equals(r.finishReason())
                && outcome.error() == null) {
            out.onComplete(); // the client went away: nobody to answer
            return;
        }
        if (!request.stream()) {
            if (outcome.error() != null) {
                out.onError(outcome.error());
            } else {
                out.onNext(bytes(shapes.complete(r)));
                out.onComplete();
            }
            return;
        }
        if (outcome.error() != null) {
            OpenAiException e = outcome.error() instanceof OpenAiException oe ? oe
                    : new OpenAiException("Generation failed: " + outcome.error().getMessage(), "server_error", null,
                    "generation_failed");
            out.onNext(sse(new OpenAiDtos.ErrorBody(new OpenAiDtos.Error(e.getMessage(), e.type(), e.param(),
                    e.code()))));
            out.onComplete();
            return;
        }
        out.onNext(sse(shapes.finalChunk(r.finishReason())));
        if (request.includeUsage()) {
            out.onNext(sse(shapes.usageChunk(r)));
        }
        out.onNext("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.onComplete();
    }

    private byte[] sse(Object event) {
        byte[] payload = bytes(event);
        byte[] framed = new byte[payload.length + 8];
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 6);
        System.arraycopy(payload, 0, framed, 6, payload.length);
        framed[framed.length - 2] = '\n';
        framed[framed.length - 1] = '\n';
        return framed;
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response objects of one request (chat or text completion). */
    private record Shapes(String id, long created, String model, boolean chat) {
        Object roleChunk() {
            return chunk(new OpenAiDtos.Delta("assistant", ""), null);
        }

        Object delta(String text) {
            return chat ? chunk(new OpenAiDtos.Delta(null, text), null)
                    : new OpenAiDtos.TextCompletion(id, "text_completion", created, model,
                    List.of(new OpenAiDtos.TextChoice(text, 0, null, null)), null);
        }

        Object finalChunk(String finishReason) {
            return chat ? chunk(new OpenAiDtos.Delta(null, null), finishReason)
                    : new OpenAiDtos.TextCompletion(id, "text_completion", created, model,
                    List.of(new OpenAiDtos.TextChoice("", 0, null, finishReason)), null);
        }

        Object usageChunk(GenerationResult r) {
            OpenAiDtos.Usage usage = OpenAiDtos.Usage.of(r.promptTokens(), r.completionTokens());
            return chat ? new OpenAiDtos.ChatChunk(id, "chat.completion.chunk", created, model, List.of(), usage, null)
                    : new OpenAiDtos.TextCompletion(id, "text_completion", created, model, List.of(), usage);
        }

        Object complete(GenerationResult r) {
            OpenAiDtos.Usage usage = OpenAiDtos.Usage.of(r.promptTokens(), r.completionTokens());
            return chat ? new OpenAiDtos.ChatCompletion(id, "chat.completion", created, model,
                    List.of(new OpenAiDtos.Choice(0, new OpenAiDtos.AssistantMessage("assistant", r.text(), null),
                            null, r.finishReason())), usage, null)
                    : new OpenAiDtos.TextCompletion(id, "text_completion", created, model,
                    List.of(new OpenAiDtos.TextChoice(r.text(), 0, null, r.finishReason())), usage);
        }

        private OpenAiDtos.ChatChunk chunk(OpenAiDtos.Delta delta, String finishReason) {
            return new OpenAiDtos.ChatChunk(id, "chat.completion.chunk", created, model,
                    List.of(new OpenAiDtos.ChunkChoice(0, delta, null, finishReason)), null, null);
        }
    }
}
