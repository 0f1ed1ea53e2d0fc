package dev.tailor.inference.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.common.auth.Roles;
import dev.tailor.inference.domain.ChatRequest;
import dev.tailor.inference.domain.ChatRequestParser;
import dev.tailor.inference.service.Completer;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.security.identity.Callers;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * OpenAI-compatible {@code POST /v1/chat/completions} and {@code POST /v1/completions}: JSON, or with
 * {@code stream: true} server-sent events ({@code data: {chunk}} lines, then {@code data: [DONE]}). A caller reaches
 * only its tenant's models (role inference-client).
 */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
public class CompletionsResource {
    private static final String EVENT_STREAM = "text/event-stream";

    private final Completer completer;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Callers callers;

    public CompletionsResource(Completer completer, ObjectMapper json, MeterRegistry meters, Callers callers) {
        this.callers = callers;
        this.completer = completer;
        this.json = json;
        this.meters = meters;
    }

    @POST
    @Path("/chat/completions")
    @Produces({MediaType.APPLICATION_JSON, EVENT_STREAM})
    @RolesAllowed(Roles.INFERENCE_CLIENT)
    public Response chat(JsonNode body) {
        ChatRequest request = ChatRequestParser.chat(body);
        Completer.Prepared prepared = completer.prepare(callers.current().tenant(), request);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (!request.stream()) {
            GenerationResult r = prepared.run(null);
            count(request, r);
            return Response.ok(new OpenAiDtos.ChatCompletion(id, "chat.completion", created, request.model(),
                    List.of(new OpenAiDtos.Choice(0, new OpenAiDtos.AssistantMessage("assistant", r.text(), null),
                            null, r.finishReason())),
                    OpenAiDtos.Usage.of(r.promptTokens(), r.completionTokens()), null),
                    MediaType.APPLICATION_JSON_TYPE).build();
        }
        StreamingOutput sse = out -> {
            send(out, chunk(id, created, request, new OpenAiDtos.Delta("assistant", ""), null));
            GenerationResult r = prepared.run((tokenId, delta) -> {
                if (delta != null && !delta.isEmpty()) {
                    sendUnchecked(out, chunk(id, created, request, new OpenAiDtos.Delta(null, delta), null));
                }
            });
            send(out, chunk(id, created, request, new OpenAiDtos.Delta(null, null), r.finishReason()));
            if (request.includeUsage()) {
                send(out, new OpenAiDtos.ChatChunk(id, "chat.completion.chunk", created, request.model(), List.of(),
                        OpenAiDtos.Usage.of(r.promptTokens(), r.completionTokens()), null));
            }
            done(out);
            count(request, r);
        };
        return stream(sse);
    }

    @POST
    @Path("/completions")
    @Produces({MediaType.APPLICATION_JSON, EVENT_STREAM})
    @RolesAllowed(Roles.INFERENCE_CLIENT)
    public Response completion(JsonNode body) {
        ChatRequest request = ChatRequestParser.completion(body);
        Completer.Prepared prepared = completer.prepare(callers.current().tenant(), request);
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (!request.stream()) {
            GenerationResult r = prepared.run(null);
            count(request, r);
            return Response.ok(new OpenAiDtos.TextCompletion(id, "text_completion", created, request.model(),
                    List.of(new OpenAiDtos.TextChoice(r.text(), 0, null, r.finishReason())),
                    OpenAiDtos.Usage.of(r.promptTokens(), r.completionTokens())), MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        StreamingOutput sse = out -> {
            GenerationResult r = prepared.run((tokenId, delta) -> {
                if (delta != null && !delta.isEmpty()) {
                    sendUnchecked(out, new OpenAiDtos.TextCompletion(id, "text_completion", created, request.model(),
                            List.of(new OpenAiDtos.TextChoice(delta, 0, null, null)), null));
                }
            });
            send(out, new OpenAiDtos.TextCompletion(id, "text_completion", created, request.model(),
                    List.of(new OpenAiDtos.TextChoice("", 0, null, r.finishReason())),
                    request.includeUsage() ? OpenAiDtos.Usage.of(r.promptTokens(), r.completionTokens()) : null));
            done(out);
            count(request, r);
        };
        return stream(sse);
    }

    private static Response stream(StreamingOutput sse) {
        return Response.ok(sse, EVENT_STREAM).header("Cache-Control", "no-cache").build();
    }

    private OpenAiDtos.ChatChunk chunk(String id, long created, ChatRequest request, OpenAiDtos.Delta delta,
                                       String finishReason) {
        return new OpenAiDtos.ChatChunk(id, "chat.completion.chunk", created, request.model(),
                List.of(new OpenAiDtos.ChunkChoice(0, delta, null, finishReason)), null, null);
    }

    private void send(OutputStream out, Object event) throws IOException {
        out.write(("data: " + json.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void sendUnchecked(OutputStream out, Object event) {
        try {
            send(out, event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        }
    }

    private static void done(OutputStream out) throws IOException {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void count(ChatRequest request, GenerationResult r) {
        meters.counter("tailor.inference.completion.tokens", "model", request.model()).increment(r.completionTokens());
        meters.counter("tailor.inference.prompt.tokens", "model", request.model()).increment(r.promptTokens());
    }
}
