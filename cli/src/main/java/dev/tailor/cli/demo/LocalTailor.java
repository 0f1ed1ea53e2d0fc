package dev.tailor.cli.demo;

import dev.tailor.cli.support.ProgressBar;
import dev.tailor.cli.support.Terminal;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.auth.Roles;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.localstack.ChildProcesses;
import dev.tailor.localstack.LocalStack;
import dev.tailor.localstack.TailorService;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Kafka, S3 and the services (the five stages and the console) on this machine with their data in one folder, the base model in S3 and an admin
 * API key: what {@code tailor up} keeps running and what {@code tailor demo} starts before its upload.
 */
final class LocalTailor {
    static final String TENANT = "default";

    /** A started Tailor: the stack, the admin key made for this start, and the base model auto-training uses. */
    record Running(LocalStack stack, String apiKey, String baseModel) {
    }

    private LocalTailor() {
    }

    /**
     * Starts everything in {@code dir} ({@code infra/} keeps Kafka's and S3's data, {@code cache/} the services'
     * local files, {@code logs/} their logs); a restart on the same folder keeps the datasets and models.
     *
     * @param baseModelDir an HF checkpoint folder to use instead of the starter model, or null
     * @param onStack      told the stack as soon as Kafka and S3 run (to stop it on Ctrl-C)
     */
    static Running start(Terminal term, Path root, Path dir, Path baseModelDir, Path servicesRoot,
                         ChildProcesses children, Duration keyLifetime, String keyName,
                         java.util.function.Consumer<LocalStack> onStack) throws Exception {
        Map<TailorService, Integer> ports = LocalStack.defaultPorts();
        requireFreePorts(ports);
        String baseName = baseModelDir == null ? StarterModel.NAME : baseModelDir.getFileName().toString();
        Path modelDir = prepareBaseModel(term, baseModelDir, children);

        long t = System.nanoTime();
        term.live(PipelineView.label("infra") + "starting Kafka and S3");
        LocalStack stack = LocalStack.startInfra(dir, ports);
        onStack.accept(stack);
        term.line(PipelineView.label("infra") + term.green("✓ ") + "Kafka " + stack.infra().kafkaBootstrap() + " · S3 "
                + stack.infra().s3Endpoint() + " (data in " + relative(root, dir.resolve("infra")) + ")  "
                + ProgressBar.elapsed(t));

        t = System.nanoTime();
        ObjectStore store = stack.infra().objectStore();
        String prefix = new ObjectLayout(TENANT).baseModel(baseName);
        if (!store.exists(ObjectLayout.modelConfig(prefix))) {
            store.uploadDirectory(modelDir, prefix);
        }
        term.line(PipelineView.label("base model") + term.green("✓ ") + baseName + " → " + store.uri(prefix) + "  "
                + ProgressBar.elapsed(t));

        // authentication is on locally too: an admin key of the tenant, made by the operator (this CLI, which holds
        // the S3 credentials) the way `tailor keys create --bootstrap` does
        String key = new ApiKeyStore(store).create(TENANT, keyName, Set.of(Roles.ADMIN), "cli:" + keyName,
                Instant.now().plus(keyLifetime)).key().value();

        t = System.nanoTime();
        StringBuilder ready = new StringBuilder();
        term.live(PipelineView.label("services") + "starting ingest, cleaning, training, eval, inference, console");
        stack.startServices(servicesRoot != null ? servicesRoot : root, dir.resolve("logs"),
                DemoCommand.serviceSettings(dir, baseName), Duration.ofMinutes(5), name -> {
                    synchronized (ready) {
                        ready.append(ready.length() == 0 ? "" : " ").append(name);
                        term.live(PipelineView.label("services") + "ready: " + ready);
                    }
                });
        term.line(PipelineView.label("services") + term.green("✓ ") + "ingest :8081 · cleaning :8082 · training :8083"
                + " · eval :8084 · inference :8085 · console :8080 (logs in " + relative(root, dir.resolve("logs")) + ")  "
                + ProgressBar.elapsed(t));
        return new Running(stack, key, baseName);
    }

    private static Path prepareBaseModel(Terminal term, Path baseModelDir, ChildProcesses children)
            throws InterruptedException {
        if (baseModelDir != null) {
            if (!StarterModel.present(baseModelDir)) {
                throw new IllegalArgumentException(baseModelDir + " is not an HF checkpoint folder (needs config.json, "
                        + "tokenizer.json and *.safetensors)");
            }
            term.line(PipelineView.label("base model") + term.green("✓ ") + baseModelDir);
            return baseModelDir;
        }
        Path dir = StarterModel.defaultDir();
        if (StarterModel.present(dir)) {
            term.line(PipelineView.label("base model") + term.green("✓ ") + StarterModel.NAME + " (cached in " + dir + ")");
            return dir;
        }
        long t = System.nanoTime();
        term.line(PipelineView.label("base model") + "pretraining " + StarterModel.NAME
                + " once (a few minutes; cached in " + dir + " for later runs)");
        StarterModel.pretrain(dir, children);
        term.line(PipelineView.label("base model") + term.green("✓ ") + StarterModel.NAME + " pretrained  "
                + ProgressBar.elapsed(t));
        return dir;
    }

    private static void requireFreePorts(Map<TailorService, Integer> ports) {
        for (Map.Entry<TailorService, Integer> e : ports.entrySet()) {
            try (ServerSocket s = new ServerSocket(e.getValue(), 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (java.io.IOException busy) {
                throw new IllegalStateException("port " + e.getValue() + " (" + e.getKey().shortName()
                        + ") is in use: stop what runs there (`./tailor down`, or another `tailor demo`) and try again");
            }
        }
    }

    private static Path relative(Path root, Path p) {
        return p.startsWith(root) ? root.relativize(p) : p;
    }
}
