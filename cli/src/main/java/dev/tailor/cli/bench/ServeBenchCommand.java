package dev.tailor.cli.bench;

import dev.tailor.cli.demo.StarterModel;
import dev.tailor.cli.support.Credentials;
import dev.tailor.cli.support.RepoRoot;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.localstack.LocalInfra;
import dev.tailor.localstack.ServiceProcess;
import dev.tailor.localstack.TailorService;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tailor bench serve}: aggregate generated tokens/s of N concurrent streaming clients against one client
 * sending the same requests one at a time (same server, same run), with p50/p95 time to first token, then an
 * overload burst past the queue limit (429s expected, no 5xx, no stalled connection). Without {@code --url} it starts
 * Kafka, S3 and an inference-service from its packaged jar serving the base model as it is.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serving throughput: N concurrent clients (continuous batching) vs one client at a time, TTFT"
                + " p50/p95, and an overload burst (429 with Retry-After, no 5xx, no stalls). Starts its own"
                + " Kafka, S3 and inference-service (from inference-service/target/quarkus-app) unless --url is given"
                + " (then TAILOR_API_KEY or TAILOR_TOKEN with the role inference-client is sent)."
                + " Set OMP_WAIT_POLICY=PASSIVE on a shared machine.")
public final class ServeBenchCommand implements Callable<Integer> {
    private static final String TENANT = "default";
    @Option(names = "--url", description = "A running inference service (e.g. the demo's http://127.0.0.1:8085).")
    String url;
    @Option(names = "--model", description = "Model or alias to call (default: the base model's folder name).")
    String model;
    @Option(names = "--base-model", description = "HF checkpoint folder served as is (default: the demo's starter"
            + " model, ~/.cache/tailor/models/tailor-starter).")
    Path baseModel;
    @Option(names = "--clients", split = ",", defaultValue = "4,16",
            description = "Concurrent clients to compare with one client (default ${DEFAULT-VALUE}).")
    List<Integer> clients;
    @Option(names = "--requests", defaultValue = "4", description = "Requests per client (default ${DEFAULT-VALUE}).")
    int requests;
    @Option(names = "--max-tokens", defaultValue = "64", description = "max_tokens (default ${DEFAULT-VALUE}).")
    int maxTokens;
    @Option(names = "--batch-size", defaultValue = "16", description = "Started server: sequences per batch.")
    int batchSize;
    @Option(names = "--queue", defaultValue = "16", description = "Started server: requests waiting per model.")
    int queue;
    @Option(names = "--overload", defaultValue = "64",
            description = "Clients in the overload burst, one request each; 0 skips it (default ${DEFAULT-VALUE}).")
    int overload;
    @Option(names = "--threads", description = "Started server: PyTorch intra-op threads (default: PyTorch's).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (url != null) {
            return measure(url, model != null ? model : required("--model", "with --url"),
                    Credentials.fromEnvironment("a key with the role inference-client"));
        }
        Path dir = baseModel != null ? baseModel : StarterModel.defaultDir();
        if (!StarterModel.present(dir)) {
            throw new IllegalArgumentException(dir + " holds no HF checkpoint: pass --base-model DIR, or run"
                    + " `./tailor demo` once (it makes the starter model)");
        }
        String name = dir.getFileName().toString();
        Path work = Files.createTempDirectory("tailor-bench-serve");
        try (LocalInfra infra = LocalInfra.startTemporary()) {
            infra.objectStore().uploadDirectory(dir, new ObjectLayout(TENANT).baseModel(name));
            String key = new ApiKeyStore(infra.objectStore()).create(TENANT, "bench-serve",
                    Set.of(Roles.INFERENCE_CLIENT), "cli:bench", Instant.now().plus(Duration.ofHours(2))).key().value();
            Map<String, String> props = new LinkedHashMap<>(infra.quarkusConfig());
            props.put("tailor.inference.base-models", TENANT + "/" + name);
            props.put("tailor.inference.cache-dir", work.resolve("cache").toString());
            props.put("tailor.quotas.requests-per-minute", "0"); // measure serving, not the tenant's request quota
            props.put("tailor.inference.batching.max-batch-size", String.valueOf(batchSize));
            props.put("tailor.inference.batching.max-queue", String.valueOf(queue));
            List<String> jvm = new ArrayList<>(TailorService.INFERENCE.jvmOptions());
            if (threads != null) {
                props.put("tailor.inference.threads", String.valueOf(threads));
                jvm.add("-Dai.djl.pytorch.num_threads=" + threads);
                jvm.add("-Dai.djl.pytorch.num_interop_threads=1");
            }
            Path jar = TailorService.INFERENCE.requireRunJar(RepoRoot.find());
            System.out.printf("starting inference-service (%s served as is, batch %d, queue %d)%n", name, batchSize,
                    queue);
            try (ServiceProcess inference = ServiceProcess.builder(jar).name("inference").jvmArgs(jvm)
                    .systemProperties(props).env(infra.credentialsEnv()).env("OMP_WAIT_POLICY", "PASSIVE")
                    .logTo(work.resolve("inference.log"))
                    .httpPort(freePort()).readyTimeout(Duration.ofMinutes(3)).start()) {
                return measure(inference.baseUri().toString(), model != null ? model : name, key);
            }
        }
    }

    private int measure(String base, String name, String credential) throws InterruptedException {
        ServeLoad load = new ServeLoad(base, name, credential, maxTokens, Duration.ofSeconds(120));
        load.run(2, 1); // warm-up: JIT, first allocations
        System.out.printf(Locale.ROOT, "%s, model %s, max_tokens %d, temperature 0, streamed, %d requests per client%n",
                base, name, maxTokens, requests);
        System.out.printf(Locale.ROOT, "%8s %9s %12s %9s %9s %6s %6s %6s%n", "clients", "requests", "tokens/s",
                "TTFT p50", "TTFT p95", "429", "5xx", "other");
        ServeLoad.Result one = load.run(1, requests);
        print(one);
        boolean clean = one.serverErrors() == 0 && one.stalled() == 0;
        for (int c : clients) {
            ServeLoad.Result r = load.run(c, requests);
            print(r);
            System.out.printf(Locale.ROOT, "         %d clients vs one at a time: %.2fx tokens/s%n", c,
                    r.tokensPerSecond() / one.tokensPerSecond());
            clean &= r.serverErrors() == 0 && r.stalled() == 0;
        }
        if (overload > 0) {
            ServeLoad.Result burst = load.run(overload, 1);
            System.out.printf(Locale.ROOT, "overload: %d clients at once: %d answered, %d refused with 429, %d 5xx,"
                            + " %d other errors, %d stalled%n", overload, burst.ok(), burst.rejected(),
                    burst.serverErrors(), burst.otherErrors(), burst.stalled());
            clean &= burst.serverErrors() == 0 && burst.stalled() == 0;
        }
        return clean ? 0 : 1;
    }

    private static void print(ServeLoad.Result r) {
        System.out.printf(Locale.ROOT, "%8d %9d %12.1f %8.3fs %8.3fs %6d %6d %6d%n", r.clients(), r.ok(),
                r.tokensPerSecond(), r.ttft(0.5), r.ttft(0.95), r.rejected(), r.serverErrors(),
                r.otherErrors() + r.stalled());
    }

    private static String required(String option, String context) {
        throw new IllegalArgumentException(option + " is required " + context);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
