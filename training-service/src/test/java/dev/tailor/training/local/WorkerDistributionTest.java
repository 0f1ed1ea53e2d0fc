package dev.tailor.training.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker runs from the training-worker module's packaged distribution, found by configuration or beside the service's jar. */
class WorkerDistributionTest {

    @Test
    void theDistributionsLibJarsInNameOrderAndAnOverrideWins(@TempDir Path dist) throws Exception {
        Files.createDirectories(dist.resolve("lib"));
        for (String jar : List.of("tailor-llm-1.jar", "training-worker-1.jar", "api-0.36.0.jar")) {
            Files.writeString(dist.resolve("lib").resolve(jar), "");
        }
        Files.writeString(dist.resolve("lib/notes.txt"), "");
        String cp = WorkerDistribution.classpath(Optional.empty(), Optional.of(dist.toString()));
        assertEquals(List.of(dist.resolve("lib/api-0.36.0.jar").toString(), dist.resolve("lib/tailor-llm-1.jar").toString(),
                dist.resolve("lib/training-worker-1.jar").toString()), List.of(cp.split(File.pathSeparator)));
        assertEquals("/x/*", WorkerDistribution.classpath(Optional.of("/x/*"), Optional.of(dist.toString())));
    }

    @Test
    void aMissingDistributionSaysWhereItLookedAndHowToBuildIt(@TempDir Path empty) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WorkerDistribution.classpath(Optional.empty(), Optional.of(empty.toString())));
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("mvn -pl training-worker"),
                e.getMessage());
    }

    @Test
    void besideTheServicesFastJar() {
        Path app = Path.of("/srv/quarkus-app/app/training-service-0.1.0.jar");
        assertEquals(Path.of("/srv/quarkus-app/worker"), WorkerDistribution.besideJar(app).orElseThrow());
        assertTrue(WorkerDistribution.besideJar(Path.of("/repo/training-service/target/classes")).isEmpty());
    }

    @Test
    void theBuiltDistributionHoldsTheWorkerAndNoQuarkus() {
        String dir = System.getProperty("tailor.training.worker-dir");
        assertTrue(dir != null, "the build sets tailor.training.worker-dir for tests");
        List<String> jars = List.of(WorkerDistribution.classpath(Optional.empty(), Optional.of(dir))
                .split(File.pathSeparator)).stream().map(j -> Path.of(j).getFileName().toString()).toList();
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("training-worker-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("tailor-llm-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("pytorch-native-cpu-")), jars.toString());
        assertFalse(jars.stream().anyMatch(j -> j.startsWith("quarkus-") || j.startsWith("training-service")),
                "the worker's classpath is its own: " + jars);
    }
}
