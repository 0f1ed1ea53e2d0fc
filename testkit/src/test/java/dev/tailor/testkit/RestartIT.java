package dev.tailor.testkit;

import dev.tailor.localstack.LocalInfra;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack of the CLI demo: a restart on the same work dir keeps objects, records and (free) ports. */
class RestartIT {
    @Test
    void dataAndPortsSurviveARestart(@TempDir Path workDir) {
        String bootstrap;
        String endpoint;
        try (LocalInfra infra = LocalInfra.start(workDir)) {
            bootstrap = infra.kafkaBootstrap();
            endpoint = infra.s3Endpoint();
            infra.objectStore().putString("acme/raw/faq/a.txt", "kept", "text/plain");
            try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
                kafka.send("it.restart", "k", "{\"kept\":true}");
            }
        }
        try (LocalInfra infra = LocalInfra.start(workDir)) {
            System.out.println("restarted: " + infra.stats());
            assertEquals(bootstrap, infra.kafkaBootstrap());
            assertEquals(endpoint, infra.s3Endpoint());
            assertEquals("kept", infra.objectStore().getString("acme/raw/faq/a.txt"));
            try (KafkaTestClient kafka = new KafkaTestClient(infra.kafkaBootstrap())) {
                assertEquals("{\"kept\":true}", kafka.await("it.restart", r -> true, Duration.ofSeconds(30)).value());
            }
        }
    }
}
