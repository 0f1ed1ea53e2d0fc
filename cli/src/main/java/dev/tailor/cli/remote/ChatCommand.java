package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tailor chat MODEL}: a conversation with a served model or alias, each answer streamed as it is generated
 * ({@code /v1/chat/completions} with {@code stream: true}). Reads one message per line from standard input; an empty
 * line or end of input ends it, {@code /reset} forgets the conversation. {@code --message} sends one message and exits.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a served model or alias, answers streamed (OpenAI API of the inference service).")
public final class ChatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Connection conn;

    @Parameters(paramLabel = "MODEL", description = "Model id or alias (see `tailor models list`)")
    String model;

    @Option(names = "--system", description = "A system message")
    String system;

    @Option(names = {"-m", "--message"}, description = "Send this one message, print the answer and exit")
    String message;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Longest answer in tokens (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.7", description = "Sampling temperature (default ${DEFAULT-VALUE})")
    double temperature;

    @Override
    public Integer call() throws IOException {
        ApiClient api = conn.client();
        PrintWriter out = spec.commandLine().getOut();
        ArrayNode messages = Json.mapper().createArrayNode();
        if (system != null) {
            messages.addObject().put("role", "system").put("content", system);
        }
        if (message != null) {
            answer(api, out, messages, message);
            return 0;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("chatting with " + model + " — one message per line; /reset starts over; an empty line ends");
        while (true) {
            out.print("you> ");
            out.flush();
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                return 0;
            }
            if (line.strip().equals("/reset")) {
                messages.removeAll();
                if (system != null) {
                    messages.addObject().put("role", "system").put("content", system);
                }
                continue;
            }
            answer(api, out, messages, line);
        }
    }

    private void answer(ApiClient api, PrintWriter out, ArrayNode messages, String text) {
        messages.addObject().put("role", "user").put("content", text);
        ObjectNode body = Json.mapper().createObjectNode().put("model", model).put("stream", true)
                .put("max_tokens", maxTokens).put("temperature", temperature);
        body.set("messages", messages);
        StringBuilder reply = new StringBuilder();
        if (!conn.json) {
            out.print(model + "> ");
        }
        Iterator<String> lines = api.streamLines(Service.INFERENCE, "/v1/chat/completions", body).iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode chunk = Json.read(data, JsonNode.class);
            if (chunk.has("error")) {
                throw new IllegalStateException("the model stopped: " + chunk.path("error").path("message").asText());
            }
            String delta = chunk.path("choices").path(0).path("delta").path("content").asText("");
            reply.append(delta);
            if (conn.json) {
                out.println(data);
            } else {
                out.print(delta);
            }
            out.flush();
        }
        if (!conn.json) {
            out.println();
        }
        out.flush();
        messages.addObject().put("role", "assistant").put("content", reply.toString());
    }
}
