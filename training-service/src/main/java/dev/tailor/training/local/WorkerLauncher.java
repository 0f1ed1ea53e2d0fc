package dev.tailor.training.local;

import dev.tailor.common.json.Json;
import dev.tailor.training.worker.WorkerReport;
import dev.tailor.training.worker.WorkerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Starts one job's worker JVM ({@code dev.tailor.training.worker.TrainingWorker spec.json}, on the training-worker
 * module's own classpath: {@link WorkerDistribution}) and reads its progress lines. The worker's stdin stays open for the life of the job: closing it (this JVM dying) stops the worker, and a
 * {@code cancel} line asks it to stop at the next step.
 */
final class WorkerLauncher {
    private static final Logger LOG = Logger.getLogger(WorkerLauncher.class);
    static final String WORKER_CLASS = "dev.tailor.training.worker.TrainingWorker";

    private final Supplier<String> classpath;
    private final List<String> jvmArgs;
    private final String accessKey;
    private final String secretKey;

    /** @param classpath resolved at each launch, so a missing worker distribution fails the job that needs it */
    WorkerLauncher(Supplier<String> classpath, List<String> jvmArgs, String accessKey, String secretKey) {
        this.classpath = classpath;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Runs the worker to its end; returns its exit code. {@code started} gets the process once it runs. */
    int run(WorkerSpec job, Consumer<Process> started, Consumer<WorkerReport> onReport)
            throws IOException, InterruptedException {
        Path dir = Path.of(job.workDir());
        Files.createDirectories(dir);
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, Json.write(job));
        Path log = dir.resolve("worker.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classpath.get());
        command.add(WORKER_CLASS);
        command.add(spec.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put(WorkerSpec.ENV_ACCESS_KEY, accessKey);
        pb.environment().put(WorkerSpec.ENV_SECRET_KEY, secretKey);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process process = pb.start();
        started.accept(process);
        LOG.infof("job %s: worker pid %d started (log %s)", job.jobId(), process.pid(), log);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(WorkerReport.PREFIX)) {
                    try {
                        onReport.accept(Json.read(line.substring(WorkerReport.PREFIX.length()), WorkerReport.class));
                    } catch (RuntimeException e) {
                        LOG.warnf("job %s: unreadable progress line %s: %s", job.jobId(), line, e.getMessage());
                    }
                } else {
                    LOG.debugf("job %s worker: %s", job.jobId(), line);
                }
            }
            return process.waitFor();
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the worker is gone
            }
        }
    }

    /** Asks the worker to stop at its next step; kills it when it has not exited after {@code graceSeconds}. */
    static void cancel(Process process, long graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            OutputStream in = process.getOutputStream();
            in.write("cancel\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            LOG.debugf("worker %d did not take the cancel line: %s", process.pid(), e.getMessage());
        }
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Closes the worker's stdin (it checkpoints and exits, as when its controller dies); kills it after the grace. */
    static void stop(Process process, long graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Deletes a job's local folder (spec, downloaded base model and splits, checkpoints, log); gone already is fine. */
    static void deleteWorkDir(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", dir, e.getMessage());
        }
    }

    /** The last lines of a worker's log, for an error message. */
    static String logTail(Path workDir, int lines) {
        Path log = workDir.resolve("worker.log");
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
