package dev.tailor.localstack;

import dev.tailor.localstack.LocalInfra;
import dev.tailor.localstack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Kafka, S3, the five services and the console as separate local processes: what {@code tailor demo} runs and
 * what the end-to-end test runs. Every child watches this JVM and exits with it; {@link #close()}
 * stops them in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalInfra infra;
    private final Map<TailorService, ServiceProcess> services = new EnumMap<>(TailorService.class);
    private final Map<TailorService, Integer> ports;
    private boolean closed;

    private LocalStack(LocalInfra infra, Map<TailorService, Integer> ports) {
        this.infra = infra;
        this.ports = ports;
    }

    /** Starts Kafka and S3 with their data under {@code workDir/infra}. */
    public static LocalStack startInfra(Path workDir, Map<TailorService, Integer> ports) throws IOException {
        Files.createDirectories(workDir);
        return new LocalStack(LocalInfra.start(workDir.resolve("infra")), new EnumMap<>(ports));
    }

    /** The default ports 8081..8085 (the console 8080). */
    public static Map<TailorService, Integer> defaultPorts() {
        Map<TailorService, Integer> ports = new EnumMap<>(TailorService.class);
        for (TailorService s : TailorService.values()) {
            ports.put(s, s.defaultPort());
        }
        return ports;
    }

    public LocalInfra infra() {
        return infra;
    }

    /** {@code http://127.0.0.1:<port>} of a service. */
    public String url(TailorService service) {
        return "http://127.0.0.1:" + ports.get(service);
    }

    /**
     * Starts the five services and the console in parallel from their packaged fast-jars and waits until each is ready
     * ({@code /q/health/ready}). {@code extra} adds system properties per service (e.g. test settings).
     * If one fails to start, the others that did are kept for {@link #close()} and the first error is thrown.
     */
    public void startServices(Path repoRoot, Path logDir, Map<TailorService, Map<String, String>> extra,
                              Duration readyTimeout, Consumer<String> onReady) throws Exception {
        Files.createDirectories(logDir);
        ExecutorService pool = Executors.newFixedThreadPool(TailorService.values().length);
        try {
            Map<TailorService, Future<ServiceProcess>> started = new EnumMap<>(TailorService.class);
            for (TailorService s : TailorService.values()) {
                Path jar = s.requireRunJar(repoRoot);
                Map<String, String> props = new LinkedHashMap<>(infra.quarkusConfig());
                if (s == TailorService.CONSOLE) {
                    props.putAll(consoleServices());
                }
                props.putAll(extra.getOrDefault(s, Map.of()));
                started.put(s, pool.submit(() -> {
                    ServiceProcess p = ServiceProcess.builder(jar).name(s.shortName())
                            .jvmArgs(s.jvmOptions())
                            .systemProperties(props)
                            .env(infra.credentialsEnv())
                            .env("OMP_WAIT_POLICY", "PASSIVE")
                            .logTo(logDir.resolve(s.shortName() + ".log"))
                            .httpPort(ports.get(s))
                            .readyTimeout(readyTimeout)
                            .start();
                    onReady.accept(s.shortName());
                    return p;
                }));
            }
            Exception first = null;
            for (Map.Entry<TailorService, Future<ServiceProcess>> e : started.entrySet()) {
                try {
                    ServiceProcess p = e.getValue().get();
                    synchronized (this) {
                        services.put(e.getKey(), p);
                    }
                } catch (ExecutionException failed) {
                    if (first == null) {
                        first = failed.getCause() instanceof Exception ex ? ex : failed;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The console's proxy targets: {@code tailor.console.services.<name>} = each pipeline service's URL. */
    private Map<String, String> consoleServices() {
        Map<String, String> targets = new LinkedHashMap<>();
        for (TailorService s : TailorService.values()) {
            if (s.pipeline()) {
                targets.put("tailor.console.services." + s.shortName(), url(s));
            }
        }
        return targets;
    }

    /** Process ids of the services started so far. */
    public synchronized Map<TailorService, Long> servicePids() {
        Map<TailorService, Long> pids = new EnumMap<>(TailorService.class);
        services.forEach((s, p) -> pids.put(s, p.pid()));
        return pids;
    }

    /**
     * Stops the services, all at once (each closes its Kafka consumers one after the other, seconds per service: one
     * after the other they took half a minute), and then Kafka and S3; safe to call more than once.
     */
    @Override
    public void close() {
        List<ServiceProcess> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(services.values());
        }
        List<Thread> stopping = new ArrayList<>();
        for (ServiceProcess p : running) {
            Thread t = new Thread(() -> stop(p), "stop-" + p.pid());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop(infra);
    }

    private static void stop(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("could not stop " + c + ": " + e.getMessage());
        }
    }
}
