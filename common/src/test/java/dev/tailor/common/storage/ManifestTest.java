package dev.tailor.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManifestTest {
    @Test
    void oneShapeRoundTripsWithOnlyWhatAStageSets() {
        Manifest m = Manifest.of("cleaning-service", "acme").dataset("faq", "v-1").input("rawPrefix", "s3://t/acme/raw/faq/")
                .output("train", "s3://t/acme/datasets/faq/v-1/train.jsonl").count("kept", 30)
                .detail("configHash", "abc").detail("nothing", null).build();
        String json = Json.write(m);
        assertEquals(m, Json.read(json, Manifest.class));
        assertTrue(!json.contains("jobId") && !json.contains("nothing"), json);
        assertEquals(30, m.count("kept"));
        assertEquals(0, m.count("train"));
    }

    @Test
    void manifestsWrittenBeforeTheRecordStillRead() {
        // cleaning's manifest of earlier versions: read for split carry-over
        Manifest cleaning = Json.read("{\"datasetId\":\"faq\",\"version\":\"v-1\",\"tenant\":\"acme\",\"producedBy\":"
                + "\"cleaning-service\",\"created\":\"2026-01-02T03:04:05Z\",\"input\":{\"rawPrefix\":\"s3://t/r/\"},"
                + "\"configHash\":\"x\",\"counts\":{\"train\":3,\"kept\":5},\"outputs\":{\"train\":\"s3://t/a.jsonl\"}}",
                Manifest.class);
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), cleaning.created());
        assertEquals(3, cleaning.count("train"));
        assertEquals("s3://t/a.jsonl", cleaning.output("train"));
        // ingest's: read for the newest upload of a dataset
        Manifest ingest = Json.read("{\"datasetId\":\"ds-1\",\"name\":\"n\",\"tenant\":\"acme\",\"records\":4,"
                + "\"created\":\"2026-01-02T03:04:05Z\",\"producedBy\":\"ingest-service\",\"autoTrain\":true}",
                Manifest.class);
        assertEquals(1, ingest.schemaVersion());
        assertNull(ingest.training());
    }

    @Test
    void trainingOptionsGoWithTheUpload() {
        Manifest m = Manifest.of("ingest-service", "acme").training(new TrainingOptions(true, " ", null)).build();
        assertEquals(new TrainingOptions(true, null, null), Json.read(Json.write(m), Manifest.class).training());
        assertThrows(IllegalArgumentException.class, () -> Manifest.of(" ", "acme").build());
    }
}
