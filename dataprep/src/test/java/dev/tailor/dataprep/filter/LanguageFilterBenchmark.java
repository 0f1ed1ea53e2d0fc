package dev.tailor.dataprep.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.source.SourceContext;
import dev.tailor.dataprep.source.SourceOpener;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What the language filter costs, printed and not asserted: records/s of {@link QualityFilter#check} on the support FAQ
 * with the filter off and on ({@code languages: ["en"]}), and the heap the detector's model takes. Left out of the
 * default test run (the name does not end in Test); run it with {@code mvn -o -q -pl cleaning-service test
 * -Dtest=LanguageFilterBenchmark -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dtailor.test.argLine=-Xmx512m}
 * for the benchmark chain's heap).
 */
class LanguageFilterBenchmark {
    @Test
    void printsRecordsPerSecondAndModelHeap() {
        long before = usedHeap();
        long t0 = System.nanoTime();
        Object model = LanguageFilter.loadModel();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        long after = usedHeap();
        Reference.reachabilityFence(model);
        System.out.printf(Locale.ROOT, "language model %s: read in %d ms, %.1f MB of heap (max heap %d MB)%n",
                LanguageFilter.MODEL, loadMs, (after - before) / 1048576.0, Runtime.getRuntime().maxMemory() >> 20);

        List<Example> faq = examples(LanguageFilterTest.resource("/data/support-faq-40.jsonl"));
        assertEquals(40, faq.size());
        List<Example> german = new ArrayList<>();
        for (String p : LanguageFilterTest.paragraphs("de")) {
            german.add(LanguageFilterTest.text(p));
        }
        QualityFilter off = new QualityFilter(CleaningConfig.defaults());
        QualityFilter on = new QualityFilter(LanguageFilterTest.ENGLISH);
        report("support FAQ (40 chats), filter off", off, faq);
        report("support FAQ (40 chats), languages [\"en\"]", on, faq);
        report("Debian Reference German paragraphs (33 texts), languages [\"en\"]", on, german);
    }

    private static List<Example> examples(String jsonl) {
        List<Example> out = new ArrayList<>();
        SourceOpener.Opened opened = SourceOpener.open("support.jsonl", null, new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)),
                new SourceContext(CleaningConfig.defaults()), 0);
        opened.records().forEachRemaining(p -> out.add(p.example()));
        return out;
    }

    /** Checks every example over and over: 1 s of warm-up, then 3 s measured. */
    private static void report(String what, QualityFilter q, List<Example> examples) {
        run(q, examples, 1_000_000_000L);
        long[] counts = run(q, examples, 3_000_000_000L);
        double seconds = counts[2] / 1e9;
        System.out.printf(Locale.ROOT, "%s: %.0f records/s (%.1f µs each), %d of %d checks dropped%n",
                what, counts[0] / seconds, counts[2] / 1e3 / counts[0], counts[1], counts[0]);
    }

    private static long[] run(QualityFilter q, List<Example> examples, long nanos) {
        long start = System.nanoTime();
        long checks = 0;
        long dropped = 0;
        long elapsed;
        do {
            for (Example e : examples) {
                try {
                    q.check(e);
                } catch (RecordRejected r) {
                    dropped++;
                }
                checks++;
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        return new long[] {checks, dropped, elapsed};
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
