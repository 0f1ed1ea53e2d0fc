package dev.tailor.eval.domain.judge;

import dev.tailor.llm.chat.jinja.JinjaSandbox;
import dev.tailor.llm.chat.jinja.RenderLimits;
import dev.tailor.llm.chat.jinja.TemplateRenderException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The judge's prompt: a Jinja template rendered in the project's sandbox (no Java objects, bounded work), with the
 * variables {@code question} (the last user turn), {@code conversation} (the turns before the answer, each
 * {@code role} and {@code content}), {@code reference} (the reference answer), {@code answer_a} and
 * {@code answer_b}. The template must ask for a verdict as {@code [[A]]}, {@code [[B]]} or {@code [[C]]} (a tie),
 * which {@link JudgeReply} reads. Users replace it with {@code judge.template}.
 */
public final class JudgePrompt {
    /** Pairwise comparison with a reference answer, after MT-Bench's judge prompt (Zheng et al., 2023). */
    public static final String DEFAULT_TEMPLATE = """
            Please act as an impartial judge and evaluate the two answers an AI assistant gave to the user's \
            question below. A reference answer written by a person is given: judge which answer is more correct \
            and more helpful with respect to it. Do not let the order of the answers, their length or their style \
            influence you. Begin with a short explanation, then give your verdict strictly in this format: "[[A]]" \
            if answer A is better, "[[B]]" if answer B is better, "[[C]]" for a tie.

            [Question]
            {{ question }}

            [Reference answer]
            {{ reference }}

            [Answer A]
            {{ answer_a }}

            [Answer B]
            {{ answer_b }}
            """;
    private static final JinjaSandbox SANDBOX = new JinjaSandbox();

    private final String template;

    /** @param template a Jinja template, or null for {@link #DEFAULT_TEMPLATE} */
    public JudgePrompt(String template) {
        this.template = template == null ? DEFAULT_TEMPLATE : check(template);
    }

    /** Fails with the line and the problem when the template cannot be used. */
    static String check(String template) {
        if (template.isBlank()) {
            throw new IllegalArgumentException("judge.template must not be empty; leave it out for the built-in one");
        }
        List<String> problems = SANDBOX.check(template);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("judge.template cannot be used: " + String.join("; ", problems));
        }
        if (!template.contains("answer_a") || !template.contains("answer_b")) {
            throw new IllegalArgumentException("judge.template must show both answers: use {{ answer_a }} and "
                    + "{{ answer_b }}");
        }
        return template;
    }

    /**
     * The prompt for one comparison.
     *
     * @param conversation the turns before the answer (role, content)
     * @throws IllegalArgumentException naming the template line when the template fails
     */
    public String render(String question, List<Map<String, String>> conversation, String reference, String answerA,
                         String answerB) {
        Map<String, Object> vars = Map.of("question", question, "conversation", conversation,
                "reference", reference, "answer_a", answerA, "answer_b", answerB);
        long chars = question.length() + reference.length() + answerA.length() + answerB.length()
                + conversation.stream().mapToLong(m -> m.getOrDefault("content", "").length()).sum();
        try {
            return SANDBOX.render(template, vars, RenderLimits.forConversation(chars, conversation.size() + 4),
                    Clock.systemUTC());
        } catch (TemplateRenderException e) {
            throw new IllegalArgumentException("the judge template failed: " + e.getMessage(), e);
        }
    }
}
