package dev.tailor.inference.service;

import dev.tailor.inference.config.InferenceSettings;
import dev.tailor.inference.domain.ChatRequest;
import dev.tailor.inference.domain.ModelRegistry;
import dev.tailor.inference.domain.OpenAiException;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.ChatTemplateException;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.generate.TokenListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Turns a validated request into a generation on the right model and adapter. */
@ApplicationScoped
public class Completer {
    private final ModelHost host;
    private final InferenceSettings settings;

    public Completer(ModelHost host, InferenceSettings settings) {
        this.host = host;
        this.settings = settings;
    }

    /** A request bound to its model, ready to run. */
    public record Prepared(LanguageModel model, GenerationRequest request) {
        public GenerationResult run(TokenListener listener) {
            return model.generate(request, listener);
        }
    }

    /** A request of a caller of {@code tenant}: only the tenant's models answer, another's are unknown. */
    public Prepared prepare(String tenant, ChatRequest r) {
        ModelRegistry.Target target = host.resolve(tenant, r.model())
                .orElseThrow(() -> OpenAiException.unknownModel(r.model()));
        LanguageModel model = host.model(tenant, target);
        // chat templates carry their own special tokens; a plain prompt gets the tokenizer's (e.g. BOS)
        int[] ids = r.messages() == null ? model.tokenizer().encode(r.prompt(), true) : chatPrompt(r, model);
        int context = model.config().maxPositionEmbeddings();
        if (ids.length >= context) {
            throw new OpenAiException("This model's maximum context length is " + context + " tokens, but the "
                    + "prompt has " + ids.length + " tokens; shorten the messages", "invalid_request_error",
                    "messages", "context_length_exceeded");
        }
        int asked = r.maxTokens() == null ? settings.defaultMaxTokens() : r.maxTokens();
        if (asked > settings.maxTokensLimit()) {
            throw OpenAiException.invalid("max_tokens must be at most " + settings.maxTokensLimit() + ", got " + asked,
                    "max_tokens");
        }
        int maxNew = Math.min(asked, context - ids.length);
        GenerationRequest request = new GenerationRequest(ids, maxNew, r.temperature(), 0, r.topP(), 1.0, r.stop(),
                r.seed(), target.adapter());
        return new Prepared(model, request);
    }

    /** The conversation through the model's chat template, message text kept as text; refusals as OpenAI errors. */
    private static int[] chatPrompt(ChatRequest r, LanguageModel model) {
        try {
            return model.chatPrompt(r.messages().stream().map(m -> new ChatMessage(m.role(), m.content())).toList());
        } catch (ChatTemplateException e) {
            throw OpenAiException.chatTemplate(r.model(), e);
        }
    }
}
