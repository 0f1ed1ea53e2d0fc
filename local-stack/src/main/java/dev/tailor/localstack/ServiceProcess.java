package dev.tailor.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Quarkus service (fast-jar {@code <module>/target/quarkus-app/quarkus-run.jar}) in a child JVM that dies
 * with this JVM. {@link Builder#start()} waits until {@code /q/health/ready} answers 200 (UP).
 * <pre>
 * try (ServiceProcess ingest = ServiceProcess.forModule(repoRoot, "ingest-service")
 *         .systemProperties(infra.quarkusConfig()).env(infra.credentialsEnv()).logTo(dir.resolve("ingest.log"))
 *         .start()) {
 *     URI api = ingest.baseUri();
 * }
 * </pre>
 */
public final class ServiceProcess implements AutoCloseable {
    private final ChildJvm jvm;
    private final int port;
    private final Duration startup;

    private ServiceProcess(ChildJvm jvm, int port, Duration startup) {
        this.jvm = jvm;
        this.port = port;
        this.startup = startup;
    }

    /** A builder for {@code <repoRoot>/<module>/target/quarkus-app/quarkus-run.jar}. */
    public static Builder forModule(Path repoRoot, String module) {
        return builder(repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar")).name(module);
    }

    public static Builder builder(Path quarkusRunJar) {
        return new Builder(quarkusRunJar);
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return jvm.pid();
    }

    public boolean alive() {
        return jvm.alive();
    }

    public Duration startup() {
        return startup;
    }

    public long rssBytes() {
        return jvm.rssBytes();
    }

    public String logTail(int maxChars) {
        return jvm.logTail(maxChars);
    }

    /** SIGTERM (Quarkus shuts down gracefully), SIGKILL after {@code grace}; returns the exit code. */
    public int stop(Duration grace) {
        return jvm.stop(grace);
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    public static final class Builder {
        private final Path jar;
        private String name;
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        private Path logFile;
        private int port;
        private Duration readyTimeout = Duration.ofSeconds(120);

        private Builder(Path jar) {
            this.jar = jar.toAbsolutePath();
            this.name = jar.getFileName().toString();
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Passed as {@code -Dkey=value} (e.g. {@link LocalInfra#quarkusConfig()}): visible to every local user in
         * {@code /proc/<pid>/cmdline}, so never a credential (pass those with {@link #env}).
         */
        public Builder systemProperties(Map<String, String> properties) {
            systemProperties.putAll(properties);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        /** An environment variable of the service (readable by its owner only): where credentials go. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Replaces the default JVM options ({@code -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1}). */
        public Builder jvmArgs(List<String> args) {
            jvmArgs.clear();
            jvmArgs.addAll(args);
            return this;
        }

        /** Appends the service's output to this file; by default it goes to this JVM's stdout. */
        public Builder logTo(Path file) {
            this.logFile = file;
            return this;
        }

        /** HTTP port; 0 (default) picks a free one. */
        public Builder httpPort(int port) {
            this.port = port;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        /** Starts the service and waits until it is ready. */
        public ServiceProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " does not exist: build the service first (mvn -pl <module>"
                        + " -am package -DskipTests)");
            }
            int httpPort = port > 0 ? port : Ports.free();
            List<String> args = new ArrayList<>(jvmArgs);
            systemProperties.forEach((k, v) -> args.add("-D" + k + "=" + v));
            args.add("-Dquarkus.http.port=" + httpPort);
            args.add("-Dquarkus.http.host=127.0.0.1");
            long launched = System.nanoTime();
            ChildJvm jvm = ChildJvm.startWatched(name, args, jar.toString(),
                    "io.quarkus.bootstrap.runner.QuarkusEntryPoint", List.of(), env, logFile);
            try {
                awaitReady(jvm, httpPort);
            } catch (RuntimeException e) {
                jvm.stop(Duration.ofSeconds(5));
                throw e;
            }
            return new ServiceProcess(jvm, httpPort, Duration.ofNanos(System.nanoTime() - launched));
        }

        private void awaitReady(ChildJvm jvm, int httpPort) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            long deadline = System.nanoTime() + readyTimeout.toNanos();
            String last = "no answer";
            while (System.nanoTime() < deadline) {
                jvm.checkAlive("starting");
                try {
                    HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return;
                    }
                    last = response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + name, e);
                }
                KafkaServer.sleep(250);
            }
            throw new IllegalStateException(name + " not ready after " + readyTimeout + " (last answer of /q/health/ready: "
                    + last + "); output " + (logFile == null ? "on stdout" : logFile + " ends with:\n" + jvm.logTail(4000)));
        }
    }

}
