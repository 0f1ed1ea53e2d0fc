package dev.tailor.training.domain;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.data.ExampleEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Train examples run through the base model's chat template and tokenizer before any compute, as the worker will
 * run them: how many the template refuses, how many are longer than {@code maxSeqLength}, and their exact mean
 * length in tokens.
 *
 * @param checked      examples checked (the first ones of the split)
 * @param refused      examples the template refuses; the worker leaves them out
 * @param firstRefusal why the first one was refused (null when none was)
 * @param truncated    examples longer than maxSeqLength; the worker cuts them
 * @param longest      tokens of the longest example
 * @param meanTokens   mean tokens per usable example before cutting
 */
public record TemplateCheck(int checked, int refused, String firstRefusal, int truncated, int longest,
                            double meanTokens) {

    /**
     * @throws dev.tailor.llm.chat.ChatTemplateException when the template itself is broken or runs into a limit
     */
    public static TemplateCheck run(TextTokenizer tokenizer, ChatTemplate template, List<ChatExample> examples,
                                    int maxSeqLength) {
        ExampleEncoder.Batch batch = new ExampleEncoder(tokenizer, template).encodeAll(examples, maxSeqLength);
        long tokens = 0;
        int longest = 0;
        for (ExampleEncoder.Encoded e : batch.encoded()) {
            tokens += e.fullLength();
            longest = Math.max(longest, e.fullLength());
        }
        int usable = batch.encoded().size();
        return new TemplateCheck(examples.size(), batch.skipped(), batch.firstReason(), batch.truncated(), longest,
                usable == 0 ? 0 : (double) tokens / usable);
    }

    /** What a user should know before the job runs, with the numbers. */
    public List<String> warnings(String model, int maxSeqLength) {
        List<String> out = new ArrayList<>();
        if (refused > 0) {
            out.add(refused + " of " + checked + " examples checked are refused by the chat template of " + model
                    + " and will be left out; the first: " + firstRefusal);
        }
        if (truncated > 0) {
            out.add(truncated + " of " + (checked - refused) + " examples checked are longer than maxSeqLength "
                    + maxSeqLength + " tokens (the longest has " + longest + ") and will be cut; raise "
                    + "maxSeqLength or split long answers");
        }
        return out;
    }
}
