package dev.tailor.cli.bench;

import dev.tailor.llm.bench.DecodeBenchmark;
import dev.tailor.llm.bench.DecodeVsRunC;
import dev.tailor.llm.bench.RunC;
import dev.tailor.llm.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tailor bench decode}: batch-1 greedy decode of Tailor (PyTorch, and the Java CPU engine in float32 and int8)
 * against llama2.c's run.c on the same random weights, per shape and thread count, with the tokens checked to agree.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {"Batch-1 greedy decode: Tailor (on PyTorch, and on its Java CPU engine with float32 and int8 "
                + "weights) against llama2.c's run.c on the same "
                + "random weights (written as a Hugging Face checkpoint and as a llama2.c .bin), at each --threads, on "
                + "the stories15M and stories110M shapes. Prints tokens/s, Tailor/run.c, how many greedy tokens agree "
                + "(run.c, PyTorch and int8 each against the Java float32 engine) "
                + "and the fraction of the memory-bandwidth limit (weight bytes per token x tokens/s / "
                + "(--bandwidth-gbs x threads)).",
                "run.c is --run-c, or the shipped copy compiled with gcc -Ofast -fopenmp -march=native (llama2.c's "
                        + "make runomp). Set OMP_WAIT_POLICY the same for both (PASSIVE on a shared machine)."})
public final class DecodeBenchCommand implements Callable<Integer> {
    private static final String ROW =
            "%-5s %3d %8.1f %8.1f %8.1f %8.1f %6.2f %6.2f %6.2f %8s %8s %8s %7.0f%% %7.0f%% %7.0f%%%n";

    @Option(names = "--shapes", split = ",", defaultValue = "15M,110M",
            description = "Shapes: 15M, 110M (default ${DEFAULT-VALUE}).") List<String> shapes;
    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts (default ${DEFAULT-VALUE}).") List<Integer> threads;
    @Option(names = "--steps", defaultValue = "256", description = "Positions decoded, BOS included (default "
            + "${DEFAULT-VALUE}; at most the shape's context).") int steps;
    @Option(names = "--bandwidth-gbs", defaultValue = "20", description = "Memory bandwidth per thread in GB/s "
            + "(default ${DEFAULT-VALUE}: a plain sum over 1 GiB on the reference machine).") double bandwidthGbs;
    @Option(names = "--run-c", description = "A built run.c binary (default: compile the shipped run.c with gcc).")
    Path runC;
    @Option(names = "--work-dir", description = "Where the checkpoints are written (default: a temporary folder).")
    Path workDir;

    @Override
    public Integer call() throws IOException {
        Path work = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("tailor-decode");
        Optional<RunC> c = runC != null ? Optional.of(RunC.at(runC)) : RunC.compile(work.resolve("runc"));
        if (c.isEmpty()) {
            System.err.println("No run.c: gcc is not on PATH and --run-c was not given.");
            return 2;
        }
        if (!dev.tailor.llm.cpu.CpuDecode.supported()) {
            System.err.println("The Java CPU engine needs the Vector API: run with"
                    + " TAILOR_JAVA_OPTS=--add-modules=jdk.incubator.vector (the tailor script adds it).");
            return 2;
        }
        System.out.printf(Locale.ROOT, "%-5s %3s %8s %8s %8s %8s %6s %6s %6s %8s %8s %8s %8s %8s %8s%n", "shape",
                "thr", "run.c", "torch", "fp32", "int8", "x torch", "x fp32", "x int8", "agree", "torch=", "int8=",
                "bw run.c", "bw fp32", "bw int8");
        for (String s : shapes) {
            ModelConfig shape = switch (s) {
                case "15M" -> DecodeBenchmark.stories15M();
                case "110M" -> DecodeBenchmark.stories110M();
                default -> throw new IllegalArgumentException("Unknown shape '" + s + "': use 15M or 110M");
            };
            Path dir = Files.createDirectories(work.resolve(s));
            DecodeVsRunC.Report r = DecodeVsRunC.run(s, shape, c.get(), dir, steps,
                    threads.stream().mapToInt(Integer::intValue).toArray(), bandwidthGbs, 42);
            for (DecodeVsRunC.Row row : r.rows()) {
                System.out.printf(Locale.ROOT, ROW, s, row.threads(), row.runC(), row.torch(), row.fp32(), row.int8(),
                        row.ratioTorch(), row.ratioFp32(), row.ratioInt8(),
                        row.runCAgree() + "/" + row.compared(), row.torchAgree() + "/" + row.generated(),
                        row.int8Agree() + "/" + row.generated(),
                        100 * row.runCBandwidth(), 100 * row.fp32Bandwidth(), 100 * row.int8Bandwidth());
            }
            System.out.printf(Locale.ROOT, "      weights read per token: %.1f MB fp32, %.1f MB int8%n",
                    r.weightBytesFp32() / 1e6, r.weightBytesInt8() / 1e6);
        }
        if (workDir == null) {
            deleteTree(work);
        }
        return 0;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
