package dev.tailor.dataprep.repair;

import dev.tailor.dataprep.config.QualitySettings;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.filter.QualityFilter;
import dev.tailor.dataprep.output.CleaningReport;
import java.util.ArrayList;
import java.util.List;

/**
 * Safe repairs and the incomplete-answer policy, before the quality filters: content repeated within a field is
 * collapsed ({@code repaired.repeated-content}); a question and answer swapped by an export (the "question" a statement,
 * the "answer" a short question: {@link QualityFilter#looksSwapped}) are put back when the example is one exchange
 * ({@code repaired.swapped-roles}); an answer cut off ({@link Truncation}) is dropped, trimmed to its last complete
 * sentence, flagged or kept as {@code incompleteAnswers} says. Every repair is counted with a before/after sample.
 */
public final class Repairs {
    private final QualitySettings settings;
    private final CleaningReport report;

    public Repairs(QualitySettings settings, CleaningReport report) {
        this.settings = settings;
        this.report = report;
    }

    /** {@code e} repaired; throws {@link RecordRejected} (rule {@code truncated}) when the policy drops it. */
    public Example apply(Example e) {
        if (settings.collapseRepeats()) {
            e = collapse(e);
        }
        if (!e.isChat()) {
            return e;
        }
        if (settings.repairSwappedRoles()) {
            e = unswap(e);
        }
        return incomplete(e);
    }

    private Example collapse(Example e) {
        return e.mapText(t -> {
            String one = RepeatedContent.collapse(t);
            if (one == null) {
                return t;
            }
            report.changed("repaired.repeated-content", e.source(), t, one);
            return one;
        });
    }

    private Example unswap(Example e) {
        List<Message> m = e.messages();
        int n = m.size();
        boolean oneExchange = n == 2 || n == 3 && m.get(0).role().equals("system");
        if (!oneExchange || !m.get(n - 2).role().equals("user")
                || !QualityFilter.looksSwapped(m.get(n - 2).content(), m.get(n - 1).content())) {
            return e;
        }
        List<Message> fixed = new ArrayList<>(m.subList(0, n - 2));
        fixed.add(new Message("user", m.get(n - 1).content()));
        fixed.add(new Message("assistant", m.get(n - 2).content()));
        report.changed("repaired.swapped-roles", e.source(), m.get(n - 2).content() + " → " + m.get(n - 1).content(),
                m.get(n - 1).content() + " → " + m.get(n - 2).content());
        return e.withMessages(fixed);
    }

    private Example incomplete(Example e) {
        String policy = settings.incompleteAnswers();
        List<Message> m = e.messages();
        Message answer = m.get(m.size() - 1);
        String why = policy.equals("keep") ? null : Truncation.reason(answer.content());
        if (why == null) {
            return e;
        }
        switch (policy) {
            case "flag" -> {
                report.noted("incomplete.truncated-flagged", e.source(), why, answer.content());
                List<String> flags = new ArrayList<>(e.flags());
                flags.add("truncated");
                return e.withFlags(flags);
            }
            case "trim" -> {
                String trimmed = Truncation.trim(answer.content());
                if (trimmed != null) {
                    report.changed("repaired.truncated-trimmed", e.source(), answer.content(), trimmed);
                    List<Message> fixed = new ArrayList<>(m.subList(0, m.size() - 1));
                    fixed.add(answer.withContent(trimmed));
                    return e.withMessages(fixed);
                }
                throw new RecordRejected("truncated", why + ", and less than half of it is complete sentences"
                        + " (incompleteAnswers=trim)");
            }
            default -> throw new RecordRejected("truncated", why + " (incompleteAnswers=drop; trim, flag or keep to keep such"
                    + " answers)");
        }
    }
}
