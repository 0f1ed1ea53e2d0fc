package dev.tailor.dataprep.output;

import dev.tailor.dataprep.config.SplitSettings;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Streams examples into train/validation/test JSONL files in a directory. Remembers only the two
 * examples of each split whose hash lies nearest the next split, so that at the end a split with a
 * non-zero ratio that came out empty (small datasets) can be given one example from the largest split,
 * still deterministically, with one extra pass over that split's file.
 */
public final class SplitWriter implements AutoCloseable {
    private record Candidate(double u, long index, String json) {
    }

    private final Path dir;
    private final SplitSettings config;
    private final Map<Split, BufferedWriter> writers = new EnumMap<>(Split.class);
    private final Map<Split, Long> counts = new EnumMap<>(Split.class);
    private final Map<Split, List<Candidate>> candidates = new EnumMap<>(Split.class);

    public SplitWriter(Path dir, SplitSettings config) {
        this.dir = dir;
        this.config = config;
        try {
            Files.createDirectories(dir);
            for (Split s : Split.values()) {
                writers.put(s, Files.newBufferedWriter(dir.resolve(s.fileName()), StandardCharsets.UTF_8));
                counts.put(s, 0L);
                candidates.put(s, new ArrayList<>(3));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write splits to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes into {@code s} an example whose content hash maps to {@code u} (which may belong to another split). */
    public Split write(Split s, double u, String jsonLine) {
        try {
            writers.get(s).write(jsonLine);
            writers.get(s).write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long index = counts.merge(s, 1L, Long::sum) - 1;
        List<Candidate> c = candidates.get(s);
        c.add(new Candidate(u, index, jsonLine));
        c.sort((a, b) -> Double.compare(b.u(), a.u()));
        if (c.size() > 2) {
            c.remove(2);
        }
        return s;
    }

    /** Closes the files after making validation and test non-empty when there are at least 3 examples. */
    public Map<Split, Long> finish() {
        close();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<Split, Set<Long>> removed = new EnumMap<>(Split.class);
        Map<Split, List<String>> added = new EnumMap<>(Split.class);
        if (total >= 3) {
            for (Split target : List.of(Split.VALIDATION, Split.TEST)) {
                double ratio = target == Split.VALIDATION ? config.validationRatio() : config.testRatio();
                if (counts.get(target) > 0 || ratio <= 0) {
                    continue;
                }
                Split donor = Split.TRAIN;
                for (Split s : Split.values()) {
                    if (counts.get(s) > counts.get(donor)) {
                        donor = s;
                    }
                }
                List<Candidate> c = candidates.get(donor);
                if (counts.get(donor) < 2 || c.isEmpty()) {
                    continue;
                }
                Candidate moved = c.remove(0);
                removed.computeIfAbsent(donor, k -> new HashSet<>()).add(moved.index());
                added.computeIfAbsent(target, k -> new ArrayList<>()).add(moved.json());
                counts.merge(donor, -1L, Long::sum);
                counts.merge(target, 1L, Long::sum);
            }
        }
        try {
            for (Map.Entry<Split, Set<Long>> e : removed.entrySet()) {
                rewriteWithout(dir.resolve(e.getKey().fileName()), e.getValue());
            }
            for (Map.Entry<Split, List<String>> e : added.entrySet()) {
                Files.write(dir.resolve(e.getKey().fileName()), e.getValue(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    private static void rewriteWithout(Path file, Set<Long> skip) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            long i = 0;
            for (String line = r.readLine(); line != null; line = r.readLine(), i++) {
                if (!skip.contains(i)) {
                    w.write(line);
                    w.write('\n');
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        for (BufferedWriter w : writers.values()) {
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
