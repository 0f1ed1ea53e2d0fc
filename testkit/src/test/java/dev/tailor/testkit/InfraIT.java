package dev.tailor.testkit;

import dev.tailor.localstack.LocalInfra;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.Topics;
import dev.tailor.common.events.ModelDeployment;
import dev.tailor.common.events.TrainingProgress;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectNotFoundException;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ObjectStore against the real s3proxy, KafkaTestClient against the real broker, both from LocalInfra. */
class InfraIT {
    private static LocalInfra infra;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        infra = LocalInfra.startTemporary();
        System.out.printf("LocalInfra started in %d ms: %s%n", (System.nanoTime() - t0) / 1_000_000, infra.stats());
        store = infra.objectStore();
    }

    @AfterAll
    static void stop() {
        if (infra != null) {
            infra.close();
            assertFalse(Files.exists(infra.workDir()), "temporary work dir removed");
        }
    }

    private static final byte[] NOISE = new byte[1 << 20];

    static {
        new Random(7).nextBytes(NOISE);
    }

    /** {@code size} pseudo-random bytes that depend only on their position; fails at {@code failAt} if >= 0. */
    static InputStream generated(long size, long failAt) {
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (failAt >= 0 && position >= failAt) {
                    throw new IOException("source failed at byte " + position);
                }
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, 65_521), size - position);
                for (int i = 0; i < n; i++, position++) {
                    b[off + i] = (byte) (NOISE[(int) (position % NOISE.length)] + position / NOISE.length);
                }
                return n;
            }
        };
    }

    static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    @Test
    void streamedUploadOfUnknownSizeIsMultipartAndReadsBackIdentical() throws Exception {
        long size = 40L * 1024 * 1024 + 12_345; // three 16 MiB parts, the last one short
        String key = "it/big/model.safetensors";
        long t0 = System.nanoTime();
        String uri = store.put(key, generated(size, -1), -1, null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("streamed %d MiB of unknown size in %.2f s (%.0f MiB/s)%n", size >> 20, seconds,
                size / 1048576.0 / seconds);
        assertEquals("s3://tailor/" + key, uri);

        ObjectInfo info = store.stat(key).orElseThrow();
        assertEquals(size, info.size());
        assertTrue(info.etag().contains("-") || !info.etag().isEmpty(), info.etag());
        try (InputStream in = store.get(key)) {
            assertArrayEquals(sha256(generated(size, -1)), sha256(in));
        }
        assertEquals(List.of(key), store.list("it/big/").stream().map(ObjectInfo::key).toList());
        store.delete(key);
        assertFalse(store.exists(key));
        store.delete(key); // deleting a missing object is fine
    }

    @Test
    void failedUploadLeavesNoObjectAndNoPendingParts() throws Exception {
        String key = "it/failed/checkpoint.bin";
        StorageException e = assertThrows(StorageException.class,
                () -> store.put(key, generated(50L << 20, 20L << 20), -1, null));
        assertTrue(e.getMessage().contains("put s3://tailor/" + key), e.getMessage());
        assertTrue(store.stat(key).isEmpty());
        assertTrue(store.list("it/failed/").isEmpty());
        assertEquals(Set.of(), multipartFilesOnDisk(), "no parts of the failed upload are left in the server's storage");
    }

    /**
     * Files s3proxy keeps for unfinished multipart uploads: {@code <uploadId>} and {@code .mpus-<uploadId>-<key>-*}
     * at the bucket's root (it has no ListMultipartUploads, so the disk is where to look).
     */
    static Set<String> multipartFilesOnDisk() throws IOException {
        Path root = infra.workDir().resolve("s3/data/tailor");
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(name -> name.startsWith(".mpus-") || name.matches("[0-9a-f]{8}-[0-9a-f-]{27}"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void anUnfinishedMultipartUploadIsVisibleOnDisk() throws Exception {
        // proves that the check above can fail: an upload that is neither completed nor aborted leaves files
        var client = io.minio.MinioAsyncClient.builder().endpoint(infra.s3Endpoint())
                .credentials(infra.s3AccessKey(), infra.s3SecretKey()).region("us-east-1").build();
        var none = com.google.common.collect.HashMultimap.<String, String>create();
        String uploadId = client.createMultipartUploadAsync("tailor", "us-east-1", "it/pending/x", none, none).get()
                .result().uploadId();
        client.uploadPartAsync("tailor", "us-east-1", "it/pending/x", new byte[1024], 1024, uploadId, 1, none, none).get();
        try {
            assertEquals(3, multipartFilesOnDisk().size(), multipartFilesOnDisk().toString());
        } finally {
            client.abortMultipartUploadAsync("tailor", "us-east-1", "it/pending/x", uploadId, none, none).get();
        }
        assertEquals(Set.of(), multipartFilesOnDisk());
    }

    @Test
    void smallObjectsJsonCopyPrefixesAndDirectories(@TempDir Path tmp) throws Exception {
        store.putJson("it/docs/a.json", Map.of("name", "faq", "records", 3));
        store.putString("it/docs/sub/b.txt", "hello", "text/plain");
        assertEquals(3, store.getJson("it/docs/a.json", Map.class).get("records"));
        store.copy("it/docs/a.json", "it/docs/c.json");
        assertEquals("hello", store.getString("it/docs/sub/b.txt"));
        assertEquals(List.of("it/docs/a.json", "it/docs/c.json", "it/docs/sub/b.txt"),
                store.list("it/docs/").stream().map(ObjectInfo::key).toList());
        assertEquals(5, store.stat("it/docs/sub/b.txt").orElseThrow().size());
        assertThrows(ObjectNotFoundException.class, () -> store.getBytes("it/docs/missing.json"));

        List<Path> files = store.downloadPrefix("it/docs/", tmp.resolve("down"));
        assertEquals(3, files.size());
        assertEquals("hello", Files.readString(tmp.resolve("down/sub/b.txt")));
        assertEquals(List.of("it/up/a.json", "it/up/c.json", "it/up/sub/b.txt"),
                store.uploadDirectory(tmp.resolve("down"), "it/up/"));
        assertArrayEquals(store.getBytes("it/docs/a.json"), store.getBytes("it/up/a.json"));

        assertEquals(3, store.deletePrefix("it/docs/"));
        assertTrue(store.list("it/docs/").isEmpty());
        assertEquals(3, store.list("it/up/").size());
    }

    @Test
    void producedEventsAreConsumedWithHeaders() {
        try (KafkaTestClient kafka = new KafkaTestClient(infra.kafkaBootstrap())) {
            kafka.sendEvent(ModelDeployment.create("acme", "bot", "m1", "base", null, true));
            for (int step = 1; step <= 3; step++) {
                kafka.sendEvent(TrainingProgress.create("acme", "job-1", "RUNNING", step, 3, 0, 2.0 / step, null,
                        null, null, null, null));
            }
            TrainingProgress last = kafka.awaitEvent(Topics.TRAINING_PROGRESS, TrainingProgress.class,
                    p -> p.step() == 3, Duration.ofSeconds(30));
            assertEquals("job-1", last.jobId());
            List<ConsumerRecord<String, String>> records = kafka.awaitCount(Topics.TRAINING_PROGRESS, 3,
                    Duration.ofSeconds(30));
            assertEquals(Set.of("job-1"), Set.copyOf(records.stream().map(ConsumerRecord::key).toList()));
            ConsumerRecord<String, String> deployment = kafka.await(Topics.MODEL_DEPLOYMENTS,
                    r -> r.key().equals("acme/bot"), Duration.ofSeconds(30)); // deployments are keyed {tenant}/{alias}
            assertEquals("ModelDeployment", new String(deployment.headers().lastHeader("ce_type").value(),
                    StandardCharsets.UTF_8));
            kafka.send("it.plain", "k", "{\"n\":1}");
            assertEquals("{\"n\":1}", kafka.await("it.plain", r -> true, Duration.ofSeconds(30)).value());
            assertThrows(AssertionError.class, () -> kafka.await("it.plain", r -> r.value().contains("never"),
                    Duration.ofSeconds(2)));
        }
    }

    @Test
    void tailorTopicsExistAndDeploymentsAreCompacted() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap()))) {
            Set<String> names = admin.listTopics().names().get();
            for (String topic : Topics.ALL) {
                assertTrue(names.contains(topic) && names.contains(Topics.dlq(topic)), topic + " in " + names);
            }
            ConfigResource deployments = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MODEL_DEPLOYMENTS);
            assertEquals("compact", admin.describeConfigs(List.of(deployments)).all().get().get(deployments)
                    .get("cleanup.policy").value());
        }
    }

    @Test
    void quarkusConfigNamesEverything() {
        Map<String, String> config = infra.quarkusConfig();
        assertEquals(infra.kafkaBootstrap(), config.get("kafka.bootstrap.servers"));
        assertTrue(config.get("kafka.bootstrap.servers").startsWith("127.0.0.1:"));
        assertEquals(infra.s3Endpoint(), config.get("tailor.storage.endpoint"));
        assertEquals("tailor", config.get("tailor.storage.bucket"));
        assertFalse(config.containsKey("tailor.storage.secret-key") || config.containsValue(infra.s3SecretKey()),
                "command-line config must not carry the S3 secret");
        assertEquals(infra.s3SecretKey(), infra.credentialsEnv().get("TAILOR_STORAGE_SECRET_KEY"));
        assertEquals(infra.s3SecretKey(), infra.quarkusConfigWithCredentials().get("tailor.storage.secret-key"));
        assertTrue(infra.s3SecretKey().length() >= 40, "a random secret per start");
    }
}
