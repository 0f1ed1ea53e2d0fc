package dev.tailor.training.domain;

import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatTemplate;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.data.ExampleEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Train examples run through the base model's chat template and tokenizer before any compute, as the worker will
 * run them: how many the template refuses, how many are longer than {@code maxSeqLength}, and their exact lengths in
 * tokens.
 *
 * @param checked      examples checked (the first ones of the split)
 * @param refused      examples the template refuses; the worker leaves them out
 * @param firstRefusal why the first one was refused (null when none was)
 * @param truncated    examples longer than maxSeqLength; the worker cuts them
 * @param longest      tokens of the longest example
 * @param meanTokens   mean tokens per usable example before cutting
 * @param lengths      the length figures of the usable examples checked
 */
public record TemplateCheck(int checked, int refused, String firstRefusal, int truncated, int longest,
                            double meanTokens, TrainLengths lengths) {

    /**
     * @throws dev.tailor.llm.chat.ChatTemplateException when the template itself is broken or runs into a limit
     */
    public static TemplateCheck run(TextTokenizer tokenizer, ChatTemplate template, List<ChatExample> examples,
                                    int maxSeqLength, long splitExamples) {
        ExampleEncoder.Batch batch = new ExampleEncoder(tokenizer, template).encodeAll(examples, maxSeqLength);
        int usable = batch.encoded().size();
        int[] full = new int[usable];
        long tokens = 0;
        for (int i = 0; i < usable; i++) {
            full[i] = batch.encoded().get(i).fullLength();
            tokens += full[i];
        }
        Arrays.sort(full);
        int longest = usable == 0 ? 0 : full[usable - 1];
        TrainLengths lengths = new TrainLengths(usable, batch.truncated(), TrainLengths.percentile(full, 50),
                TrainLengths.percentile(full, 95), longest, examples.size() < splitExamples
                ? "counted in preflight on the first " + String.format(java.util.Locale.ROOT, "%,d", examples.size())
                : "counted in preflight");
        return new TemplateCheck(examples.size(), batch.skipped(), batch.firstReason(), batch.truncated(), longest,
                usable == 0 ? 0 : (double) tokens / usable, lengths);
    }

    /** What a user should know about the template before the job runs, with the numbers. */
    public List<String> warnings(String model) {
        List<String> out = new ArrayList<>();
        if (refused > 0) {
            out.add(refused + " of " + checked + " examples checked are refused by the chat template of " + model
                    + " and will be left out; the first: " + firstRefusal);
        }
        return out;
    }
}
