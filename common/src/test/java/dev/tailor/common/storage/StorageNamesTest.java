package dev.tailor.common.storage;

import dev.tailor.common.values.S3Uri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import org.junit.jupiter.api.Test;

class StorageNamesTest {
    private final ObjectLayout layout = new ObjectLayout("acme");

    /** Issue 16: a base model name with a control character made S3 answer BadRequest and ingest 500. */
    @Test
    void relativeNamesWithControlCharactersAreRefused() {
        for (String name : new String[] {"a\u0000b", "tiny\n", "Qwen/\u007fx"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.baseModel(name));
            assertTrue(e.getMessage().contains("control characters"), e.getMessage());
        }
    }

    @Test
    void layoutKeysFollowTheDesign() {
        assertEquals("acme/raw/faq/", layout.rawPrefix("faq"));
        assertEquals("acme/raw/faq/part-0001.jsonl", layout.raw("faq", "part-0001.jsonl"));
        assertEquals("acme/datasets/faq/v1/", layout.datasetPrefix("faq", "v1"));
        assertEquals("acme/datasets/faq/v1/train.jsonl", layout.split("faq", "v1", "train"));
        assertEquals("acme/datasets/faq/v1/validation.jsonl", layout.split("faq", "v1", "validation"));
        assertEquals("acme/datasets/faq/v1/report.json", layout.report("faq", "v1"));
        assertEquals("acme/models/base/qwen2.5-0.5b/", layout.baseModel("qwen2.5-0.5b"));
        assertEquals("acme/models/base/Qwen/Qwen2.5-0.5B/", layout.baseModel("Qwen/Qwen2.5-0.5B"));
        assertEquals("acme/models/tuned/m1/", layout.tunedModel("m1"));
        assertEquals("acme/evals/m1/report.json", layout.evalReport("m1", "json"));
        assertEquals("acme/evals/m1/report.html", layout.evalReport("m1", "html"));
        assertEquals("acme/evals/ev-1/evaluation.json", layout.evalRecord("ev-1"));
        assertEquals("acme/evals/_index/model/ft-1/", layout.evalIndex("model", "ft-1"));
        assertEquals("acme/evals/_index/dataset/ds-1/", layout.evalIndex("dataset", "ds-1"));
        assertEquals("acme/evals/_sweeps/sw-1/", layout.evalSweep("sw-1"));
        assertEquals("acme/evals/_sets/set-1.jsonl", layout.evalSet("set-1"));
        assertEquals("acme/raw/faq/manifest.json", ObjectLayout.manifest(layout.rawPrefix("faq")));
    }

    @Test
    void everyKeyTheServicesUseIsNamedHere() {
        String upload = layout.rawPrefix("faq");
        assertEquals("acme/raw/faq/versions/u-1/", layout.rawVersionPrefix("faq", "u-1"));
        assertEquals("acme/raw/faq/cleaning.json", ObjectLayout.cleaningConfig(upload));
        assertEquals("acme/raw/faq/ref/", ObjectLayout.referenceTables(upload));
        assertEquals("acme/raw/faq/ref/catalog.csv", ObjectLayout.referenceTable(upload, "tables/catalog.csv"));
        assertTrue(ObjectLayout.isUploadedData(upload, "acme/raw/faq/support.jsonl"));
        for (String notData : java.util.List.of("manifest.json", "cleaning.json", "ref/catalog.csv", "versions/u-1/a.jsonl")) {
            org.junit.jupiter.api.Assertions.assertFalse(ObjectLayout.isUploadedData(upload, upload + notData), notData);
        }
        assertTrue(ObjectLayout.isUploadManifest(upload, "acme/raw/faq/manifest.json"));
        assertTrue(ObjectLayout.isUploadManifest(upload, "acme/raw/faq/versions/u-1/manifest.json"));
        org.junit.jupiter.api.Assertions.assertFalse(ObjectLayout.isUploadManifest(upload,
                "acme/raw/faq/versions/u-1/sub/manifest.json"));
        assertEquals("acme/raw/faq/versions/u-1/", ObjectLayout.uploadPrefixOf("acme/raw/faq/versions/u-1/manifest.json"));
        assertEquals("acme/index/sha256/" + "a".repeat(64) + ".json", layout.contentIndex("a".repeat(64)));
        assertEquals("acme/datasets/", layout.datasetsRoot());
        assertEquals("acme/datasets/faq/", layout.datasetRoot("faq"));
        assertEquals("acme/models/base/tiny/config.json", ObjectLayout.modelConfig(layout.baseModel("tiny")));
        String model = layout.tunedModel("m1");
        assertEquals("acme/models/tuned/", layout.tunedModelsRoot());
        assertEquals("acme/models/tuned/m1/job.json", ObjectLayout.jobRecord(model));
        assertTrue(ObjectLayout.isJobRecord(ObjectLayout.jobRecord(model)));
        org.junit.jupiter.api.Assertions.assertFalse(ObjectLayout.isJobRecord(ObjectLayout.checkpoint(model, 3) + "job.json"));
        assertEquals("acme/models/tuned/m1/training.json", ObjectLayout.trainingSummary(model));
        assertEquals("acme/models/tuned/m1/metrics.jsonl", ObjectLayout.metrics(model));
        assertEquals("acme/models/tuned/m1/checkpoints/step-40/", ObjectLayout.checkpoint(model, 40));
        assertEquals("acme/evals/m1/", layout.evalPrefix("m1"));
        assertEquals("acme/completions/chatcmpl-1.json", layout.completion("chatcmpl-1"));
        assertEquals("acme/feedback/faq/pending/", layout.feedbackPending("faq"));
        assertEquals("acme/feedback/faq/pending/chatcmpl-1.jsonl", layout.feedbackExample("faq", "chatcmpl-1"));
        assertEquals("acme/feedback/faq/collected/u-1/", layout.feedbackCollected("faq", "u-1"));
        assertEquals("acme/status/faq/dataset-cleaned-e1.json", layout.statusEntry("faq", "dataset-cleaned-e1"));
        assertEquals("acme/status/faq.json", layout.legacyStatus("faq"));
        assertEquals("acme/status/_models/m1.json", layout.modelLink("m1"));
        assertEquals("acme/evals/m1/", ObjectLayout.folderOf("acme/evals/m1/report.json"));
    }

    @Test
    void layoutRejectsKeysThatEscapeTheirPrefix() {
        assertThrows(IllegalArgumentException.class, () -> layout.raw("faq", "../../other/x"));
        assertThrows(IllegalArgumentException.class, () -> layout.split("faq", "v1", "dev"));
        assertThrows(IllegalArgumentException.class, () -> layout.tunedModel("a/b"));
        assertThrows(IllegalArgumentException.class, () -> ObjectLayout.manifest("acme/raw/faq"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ObjectLayout("ACME")).getMessage()
                .contains("lowercase"));
    }

    @Test
    void s3UrisParseAndPrint() {
        S3Uri uri = S3Uri.parse("s3://tailor/acme/raw/faq/a.jsonl");
        assertEquals("tailor", uri.bucket());
        assertEquals("acme/raw/faq/a.jsonl", uri.key());
        assertEquals("s3://tailor/acme/raw/faq/a.jsonl", uri.toString());
        assertEquals(new S3Uri("tailor", ""), S3Uri.parse("s3://tailor"));
        assertEquals("s3://tailor/acme/x/y", S3Uri.parse("s3://tailor/acme/x/").resolve("y").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> S3Uri.parse("https://host/b/k")).getMessage()
                .startsWith("expected an S3 URI like s3://bucket/path/to/object"));
        assertThrows(IllegalArgumentException.class, () -> S3Uri.parse("s3://Bad_Bucket/k"));
        assertThrows(IllegalArgumentException.class, () -> S3Uri.parse("s3://tailor//k"));
    }

    @Test
    void topicsAndDeadLetters() {
        assertEquals("tailor.model.trained.dlq", Topics.dlq(Topics.MODEL_TRAINED));
        assertEquals(12, Topics.ALL.size());
        assertEquals("_system/api-keys/0123456789abcdef.json", ObjectLayout.apiKey("0123456789abcdef"),
                "API key records lie outside every tenant prefix");
        assertEquals("acme/", new ObjectLayout("acme").root());
        assertEquals("acme/x", new ObjectLayout("acme").owned("train", "acme/x"));
        assertThrows(IllegalArgumentException.class, () -> new ObjectLayout("acme").owned("train", "acme-corp/x"));
        assertThrows(IllegalArgumentException.class, () -> new ObjectLayout("acme").owned("train", "other/acme/x"));
    }

    @Test
    void storeKeyOfChecksTheBucket() {
        ObjectStore store = new ObjectStore("http://127.0.0.1:1", "a", "b", "tailor", "us-east-1");
        assertEquals("acme/x", store.keyOf("s3://tailor/acme/x"));
        assertEquals("s3://tailor/acme/x", store.uri("acme/x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> store.keyOf("s3://other/acme/x")).getMessage()
                .contains("tailor.storage.bucket"));
    }
}
