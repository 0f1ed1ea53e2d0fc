package dev.tailor.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.ingest.domain.IngestFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A credentials reference resolves from the secrets folder first, then the environment, else a clear refusal. */
class SecretsTest {
    @Test
    void fileThenEnvironmentThenAClearRefusal(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("support-imap"), "s3cr3t\n"); // as a Kubernetes Secret volume writes it
        Secrets secrets = new Secrets(Optional.of(dir), Map.of("TAILOR_SECRET_SUPPORT_IMAP", "from-env",
                "TAILOR_SECRET_HELPDESK_DB", "db-pass"));
        assertEquals("s3cr3t", secrets.resolve("support-imap").orElseThrow(), "the file wins, without its line break");
        assertEquals("db-pass", secrets.resolve("helpdesk.db").orElseThrow());
        assertTrue(secrets.resolve(null).isEmpty(), "no reference: no credentials");

        IngestFailure missing = assertThrows(IngestFailure.class, () -> secrets.resolve("kafka-sasl"));
        assertEquals(IngestFailure.Reason.UNPROCESSABLE, missing.reason());
        assertTrue(missing.getMessage().contains("'kafka-sasl'") && missing.getMessage().contains(
                dir.resolve("kafka-sasl").toString()) && missing.getMessage().contains("TAILOR_SECRET_KAFKA_SASL"),
                missing.getMessage());
        IngestFailure noDir = assertThrows(IngestFailure.class, () -> new Secrets(Optional.empty(), Map.of())
                .resolve("x"));
        assertTrue(noDir.getMessage().contains("no secrets directory configured"), noDir.getMessage());
        assertThrows(IngestFailure.class, () -> secrets.resolve("../etc/passwd"), "a reference is a name, not a path");
    }
}
