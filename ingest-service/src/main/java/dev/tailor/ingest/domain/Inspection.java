package dev.tailor.ingest.domain;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.source.InputFormat;
import dev.tailor.dataprep.source.SourceContext;
import dev.tailor.dataprep.source.SourceOpener;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What an uploaded file holds, read the way cleaning will read it: its format (detected from content,
 * with the file name and declared type as hints), how many records parse, how many do not, and the
 * first problems (file, line, reason) to show a user, and how many e-mails open a thread whose reply is not in the
 * upload ({@code incompleteThreads}: valid input, kept, no example until the reply comes).
 */
public record Inspection(InputFormat format, long records, long rejected, List<Problem> problems, long incompleteThreads) {
    private static final int MAX_PROBLEMS = 5;

    public Inspection(InputFormat format, long records, long rejected, List<Problem> problems) {
        this(format, records, rejected, problems, 0);
    }

    /** Whether anything in the upload is worth keeping: a record, or an e-mail that waits for its reply. */
    public boolean usable() {
        return records > 0 || incompleteThreads > 0;
    }

    /** A record that will not become an example. */
    public record Problem(String file, long line, String rule, String reason) {
    }

    public static Inspection of(String file, String declaredType, InputStream in, CleaningConfig config) {
        // reference tables for field lookups are not available here: cleaning applies those policies
        CleaningConfig withoutPolicies = CleaningConfig.merge(config, com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().set("fields", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        SourceContext context = new SourceContext(withoutPolicies);
        SourceOpener.Opened opened = SourceOpener.open(file, declaredType, in, context, 0);
        if (!opened.format().supported()) {
            return new Inspection(opened.format(), 0, 0, List.of());
        }
        long[] okBad = new long[2];
        List<Problem> problems = new ArrayList<>();
        Iterator<ParseResult> source = opened.records();
        while (source.hasNext()) {
            count(source.next(), okBad, problems);
        }
        for (ParseResult p : context.threads().conversations()) { // conversations mode: threads end with the input
            count(p, okBad, problems);
        }
        long ok = okBad[0];
        long bad = okBad[1];
        return new Inspection(opened.format(), ok, bad, List.copyOf(problems), context.threads().incompleteThreads().size());
    }

    private static void count(ParseResult p, long[] okBad, List<Problem> problems) {
        if (p.isOk()) {
            okBad[0]++;
        } else if (!"empty-line".equals(p.rule())) {
            okBad[1]++;
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(new Problem(p.source().file(), p.source().line(), p.rule(), p.reason()));
            }
        }
    }

    public String formatName() {
        return format.name().toLowerCase();
    }
}
