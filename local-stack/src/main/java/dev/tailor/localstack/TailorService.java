package dev.tailor.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The five services of the pipeline and the web console, their modules and default HTTP ports, in start order.
 */
public enum TailorService {
    INGEST("ingest-service", 8081, "-Xmx512m"),
    CLEANING("cleaning-service", 8082, "-Xmx768m"),
    TRAINING("training-service", 8083, "-Xmx768m"),
    EVAL("eval-service", 8084, "-Xmx1g"),
    INFERENCE("inference-service", 8085, "-Xmx1g"),
    /** The web console: pages, live events, a proxy to the five services' APIs ({@link #pipeline()} is false). */
    CONSOLE("console-service", 8080, "-Xmx256m");

    private final String module;
    private final int defaultPort;
    private final String heap;

    TailorService(String module, int defaultPort, String heap) {
        this.module = module;
        this.defaultPort = defaultPort;
        this.heap = heap;
    }

    public String module() {
        return module;
    }

    /** Short name used in logs and progress lines: ingest, cleaning, training, eval, inference. */
    public String shortName() {
        return module.substring(0, module.indexOf('-'));
    }

    /** True for the five services of the pipeline, false for the console in front of them. */
    public boolean pipeline() {
        return this != CONSOLE;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /**
     * JVM options for a local run: bounded heap, serial GC, offline DJL; C1 only (small, fast start) except for
     * inference, whose Java decoding engine needs C2 (the Vector API is compiled by C2 alone) and the
     * {@code jdk.incubator.vector} module, and reads its weights faster from transparent huge pages.
     */
    public List<String> jvmOptions() {
        if (this == INFERENCE) {
            return List.of(heap, "-XX:+UseSerialGC", VECTOR_MODULE, "-XX:+UseTransparentHugePages",
                    "-Dai.djl.offline=true");
        }
        return List.of(heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true");
    }

    /** The JVM flag that gives the inference service's Java decoding engine the Vector API. */
    public static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    /** The Quarkus fast-jar launcher built by {@code mvn package} in the service's module. */
    public Path runJar(Path repoRoot) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Fails with the command to run when the service has not been packaged yet. */
    public Path requireRunJar(Path repoRoot) {
        Path jar = runJar(repoRoot);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first with "
                    + "`mvn -B install -DskipTests` in " + repoRoot + " (./tailor does this for you)");
        }
        return jar;
    }
}
