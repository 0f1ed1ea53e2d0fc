package dev.tailor.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the kustomizations with {@code kubectl kustomize} (kustomize built into kubectl) and checks the
 * result. Skipped where kubectl is not installed; the other tests check the source files without it.
 */
class KustomizeBuildTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gpu", "overlays/production"})
    void rendersIntoTheTailorNamespaceWithEveryService(String dir) throws Exception {
        List<HasMetadata> objects = render(dir);
        for (HasMetadata o : objects) {
            if (!(o instanceof Namespace)) {
                assertEquals("tailor", o.getMetadata().getNamespace(), dir + ": " + o.getKind() + "/"
                        + o.getMetadata().getName() + " is outside the tailor namespace");
            }
        }
        for (String service : TailorServices.PORTS.keySet()) {
            Deployment d = Manifests.find(objects, Deployment.class, service)
                    .orElseThrow(() -> new AssertionError(dir + " renders no Deployment " + service));
            assertEquals(1, d.getSpec().getTemplate().getSpec().getContainers().size(), dir + ": " + service);
        }
    }

    @Test
    void gpuOverlayRendersTheKubernetesBackendAndItsLocalQueue() throws Exception {
        List<HasMetadata> objects = render("overlays/gpu");
        Deployment training = Manifests.find(objects, Deployment.class, "training-service").orElseThrow();
        Container c = training.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getEnv().stream().anyMatch(e -> "TAILOR_TRAINING_KUBERNETES_ENABLED".equals(e.getName())
                && "true".equals(e.getValue())), "the service submits its jobs to the cluster");
        assertTrue(c.getReadinessProbe() != null && c.getEnvFrom().size() == 3,
                "the patch must merge into the base container, not replace it");
        assertTrue(c.getResources().getLimits().get("nvidia.com/gpu") == null,
                "the controller itself needs no GPU: its Jobs do");
        assertTrue(objects.stream().anyMatch(o -> "LocalQueue".equals(o.getKind())
                && "tailor".equals(o.getMetadata().getNamespace())), "the LocalQueue is in the tailor namespace");
    }


    private static List<HasMetadata> render(String dir) throws IOException, InterruptedException {
        assumeTrue(kubectlAvailable(), "kubectl is not installed: rendering skipped");
        Path out = Files.createTempFile("kustomize", ".yaml");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", Repo.k8s().resolve(dir).toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " timed out");
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed:\n" + Files.readString(out));
            return Manifests.parse(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean kubectlAvailable() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
