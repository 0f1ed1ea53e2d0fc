package dev.tailor.eval.service;

import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the answers of an evaluation: every prompt of one model in one call, so that the decoder can batch
 * them. Null requests (no prompt: a text example, or a conversation the template refuses) give null results.
 */
final class Generations {
    private Generations() {
    }

    static List<GenerationResult> generate(LanguageModel model, List<GenerationRequest> requests) {
        List<GenerationResult> out = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            out.add(r == null ? null : model.generate(r, null));
        }
        return out;
    }
}
