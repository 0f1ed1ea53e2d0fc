package dev.tailor.eval.service;

import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates the answers of an evaluation: every prompt of one model in one batched call (llm's continuous-batching
 * decoder: all prompts of a batch decoded together with the KV cache, padding and masks). Null requests (no prompt:
 * a text example, or a conversation the template refuses) give null results.
 */
final class Generations {
    private Generations() {
    }

    static List<GenerationResult> generate(LanguageModel model, List<GenerationRequest> requests) {
        List<GenerationRequest> real = requests.stream().filter(r -> r != null).toList();
        List<GenerationResult> done = model.generateBatch(real);
        List<GenerationResult> out = new ArrayList<>(requests.size());
        int next = 0;
        for (GenerationRequest r : requests) {
            out.add(r == null ? null : done.get(next++));
        }
        return out;
    }
}
