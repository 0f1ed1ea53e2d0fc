package dev.tailor.ingest.domain;

import dev.tailor.cleaning.domain.CsvSource;
import dev.tailor.cleaning.domain.FieldMapper;
import dev.tailor.cleaning.domain.InputFormat;
import dev.tailor.cleaning.domain.JsonlSource;
import dev.tailor.cleaning.domain.Parsed;
import dev.tailor.cleaning.domain.TextSource;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What an uploaded file holds, read the way cleaning will read it: its format (detected from content,
 * with the file name and declared type as hints), how many records parse, how many do not, and the
 * first problems (file, line, reason) to show a user.
 */
public record Inspection(InputFormat format, long records, long rejected, List<Problem> problems) {
    private static final int MAX_PROBLEMS = 5;
    private static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    /** A record that will not become an example. */
    public record Problem(String file, long line, String rule, String reason) {
    }

    public static Inspection of(String file, String declaredType, InputStream input, Map<String, String> fieldMapping) {
        BufferedInputStream in = new BufferedInputStream(input, 65536);
        InputFormat format;
        try {
            in.mark(8192);
            byte[] head = in.readNBytes(8192);
            in.reset();
            format = InputFormat.detect(file, declaredType, head, head.length);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!format.supported()) {
            return new Inspection(format, 0, 0, List.of());
        }
        FieldMapper mapper = new FieldMapper(fieldMapping);
        Iterator<Parsed> source = switch (format) {
            case JSONL -> new JsonlSource(in, file, mapper, MAX_LINE_BYTES);
            case CSV -> new CsvSource(in, file, mapper, null);
            case TSV -> new CsvSource(in, file, mapper, '\t');
            default -> new TextSource(in, file, 2000, MAX_LINE_BYTES);
        };
        long ok = 0;
        long bad = 0;
        List<Problem> problems = new ArrayList<>();
        while (source.hasNext()) {
            Parsed p = source.next();
            if (p.isOk()) {
                ok++;
            } else if (!"empty-line".equals(p.rule())) {
                bad++;
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(new Problem(file, p.source().line(), p.rule(), p.reason()));
                }
            }
        }
        return new Inspection(format, ok, bad, List.copyOf(problems));
    }

    public String formatName() {
        return format.name().toLowerCase();
    }
}
