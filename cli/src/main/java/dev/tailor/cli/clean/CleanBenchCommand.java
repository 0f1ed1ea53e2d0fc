package dev.tailor.cli.clean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tailor bench clean}: the whole cleaning chain on a generated input (default 1M records, 20%
 * near-duplicates). The chain runs on one thread, so records per CPU-second of that thread is the
 * per-core rate (GC threads excluded); wall time is printed too. Then near-duplicate precision and
 * recall against the generator's labels on a smaller run (where every drop is listed in the report).
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = "Benchmark the cleaning chain on generated data: records/s per core, heap, dedup precision/recall.")
public final class CleanBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--records", defaultValue = "1000000", description = "Records to generate (default ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--near-duplicates", defaultValue = "0.2", description = "Share of near-duplicates (default ${DEFAULT-VALUE}).")
    double share;

    @Option(names = "--labelled", defaultValue = "20000", description = "Records of the precision/recall run (default ${DEFAULT-VALUE}).")
    long labelled;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("tailor-bench-clean-");
        try {
            Path input = dir.resolve("input.jsonl");
            long[] labels = new SyntheticData(42).write(input, records, share);
            out.printf("generated %,d records (%,d near-duplicates, %.1f MB)%n", records, labels.length, Files.size(input) / 1e6);
            out.flush();
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            CleaningPipeline p = new CleaningPipeline(CleaningConfig.defaults(), dir.resolve("out"));
            try (InputStream in = Files.newInputStream(input)) {
                p.add("input.jsonl", in, null);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.gc();
            long live = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            CleaningResult r = p.finish(Map.of());
            out.printf("cleaned %,d records: %,.0f records/s per core (%.1f s CPU of the cleaning thread), %,.0f records/s"
                    + " wall (%.1f s); kept %,d, near-duplicates dropped %,d%n", r.read(), r.read() / cpu, cpu,
                    r.read() / wall, wall, r.kept(), p.report().get("dropped.near-duplicate"));
            out.printf("heap: %.0f MB live after the last record (dedup indexes, report), peak %.0f MB (sum of pool"
                    + " peaks, GC-dependent), max %.0f MB%n", live / 1e6, peakHeap() / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
            out.flush();

            Path small = dir.resolve("labelled.jsonl");
            long[] truth = new SyntheticData(7).write(small, labelled, share);
            CleaningPipeline q = new CleaningPipeline(CleaningConfig.defaults(), dir.resolve("labelled-out"));
            try (InputStream in = Files.newInputStream(small)) {
                q.add("labelled.jsonl", in, null);
            }
            JsonNode report = new ObjectMapper().readTree(q.finish(Map.of()).report().toFile());
            Arrays.sort(truth);
            long tp = 0;
            long fp = 0;
            for (JsonNode d : report.get("dropped")) {
                String rule = d.get("rule").asText();
                if (rule.equals("near-duplicate") || rule.equals("exact-duplicate")) {
                    if (Arrays.binarySearch(truth, d.get("line").asLong()) >= 0) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
            }
            out.printf("near-duplicates on %,d labelled records (%,d duplicates): precision %.3f, recall %.3f%n", labelled,
                    truth.length, tp + fp == 0 ? 1.0 : (double) tp / (tp + fp), truth.length == 0 ? 1.0 : (double) tp / truth.length);
            out.flush();
            return 0;
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(b -> b.getType() == MemoryType.HEAP)
                .mapToLong(b -> b.getPeakUsage().getUsed()).sum();
    }
}
