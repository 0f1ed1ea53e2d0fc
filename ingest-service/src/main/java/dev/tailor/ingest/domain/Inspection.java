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
 * first problems (file, line, reason) to show a user.
 */
public record Inspection(InputFormat format, long records, long rejected, List<Problem> problems) {
    private static final int MAX_PROBLEMS = 5;

    /** A record that will not become an example. */
    public record Problem(String file, long line, String rule, String reason) {
    }

    public static Inspection of(String file, String declaredType, InputStream in, CleaningConfig config) {
        // reference tables for field lookups are not available here: cleaning applies those policies
        CleaningConfig withoutPolicies = CleaningConfig.merge(config, com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode().set("fields", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        SourceOpener.Opened opened = SourceOpener.open(file, declaredType, in, new SourceContext(withoutPolicies), 0);
        if (!opened.format().supported()) {
            return new Inspection(opened.format(), 0, 0, List.of());
        }
        long ok = 0;
        long bad = 0;
        List<Problem> problems = new ArrayList<>();
        Iterator<ParseResult> source = opened.records();
        while (source.hasNext()) {
            ParseResult p = source.next();
            if (p.isOk()) {
                ok++;
            } else if (!"empty-line".equals(p.rule())) {
                bad++;
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(new Problem(p.source().file(), p.source().line(), p.rule(), p.reason()));
                }
            }
        }
        return new Inspection(opened.format(), ok, bad, List.copyOf(problems));
    }

    public String formatName() {
        return format.name().toLowerCase();
    }
}
