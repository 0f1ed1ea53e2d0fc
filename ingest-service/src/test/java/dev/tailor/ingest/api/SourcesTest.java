package dev.tailor.ingest.api;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.tailor.common.Topics;
import dev.tailor.common.events.AuditEvent;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.email.MboxReader;
import dev.tailor.testkit.KafkaTestClient;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sources that stay in sync, each against a real server: an IMAP mailbox (GreenMail in this JVM) holding real mails
 * of the SpamAssassin corpus, an SQL database (H2 over TCP) of help-desk tickets from the FAQ data, an S3 prefix and a
 * Kafka topic on the shared test S3 server and broker. Credentials come from files in the test secrets directory
 * ({@code %test.tailor.ingest.secrets-dir}), never from the request.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class SourcesTest {
    static final Path SECRETS = Path.of("target/test-secrets");
    static GreenMail mail;
    static Server h2;
    static KafkaTestClient kafka;
    static ObjectStore store;

    @BeforeAll
    static void servers() throws Exception {
        Files.createDirectories(SECRETS);
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        mail.start();
        Path h2dir = Files.createTempDirectory(Path.of("target"), "h2-");
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", h2dir.toAbsolutePath().toString()).start();
        kafka = new KafkaTestClient(TailorInfraResource.kafkaBootstrap());
        store = TailorInfraResource.objectStore();
    }

    @AfterAll
    static void stop() {
        mail.stop();
        h2.stop();
        kafka.close();
    }

    static String secret(String value) throws IOException {
        String ref = "ref-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(SECRETS.resolve(ref), value + "\n");
        return ref;
    }

    static Response create(String tenant, Map<String, Object> body) {
        return IngestServiceTest.as(tenant).contentType("application/json").body(Json.write(body)).post("/v1/sources");
    }

    static String created(String tenant, Map<String, Object> body) {
        Response r = create(tenant, body);
        r.then().statusCode(201);
        return r.jsonPath().getString("source.id");
    }

    static JsonNode sync(String tenant, String id) {
        Response r = IngestServiceTest.as(tenant).post("/v1/sources/" + id + "/sync");
        r.then().statusCode(200);
        return Json.read(r.asString(), JsonNode.class);
    }

    static JsonNode get(String tenant, String id) {
        return Json.read(IngestServiceTest.as(tenant).get("/v1/sources/" + id).then().statusCode(200).extract().asString(),
                JsonNode.class);
    }

    /** dataprep's test data (the module folder is the tests' working directory; one copy in the repository). */
    static final java.nio.file.Path ILUG_83 = java.nio.file.Path.of("../dataprep/src/test/resources/data/ilug-83");

    static List<byte[]> ilugMails() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int n = 13; n <= 118 && out.size() < 83; n++) {
            java.nio.file.Path mail = ILUG_83.resolve(String.format("%05d.eml", n));
            if (java.nio.file.Files.exists(mail)) {
                out.add(java.nio.file.Files.readAllBytes(mail));
            }
        }
        assertEquals(83, out.size(), "the 83 ILUG mails of the test data");
        return out;
    }

    static void deliver(GreenMailUser user, List<byte[]> mails) throws Exception {
        Session session = Session.getInstance(new Properties());
        for (byte[] m : mails) {
            user.deliver(new MimeMessage(session, new ByteArrayInputStream(m)));
        }
    }

    static String rawText(String rawPrefix, String file) {
        return new String(store.getBytes(rawPrefix + file), StandardCharsets.UTF_8);
    }

    /** No object of the tenant, and no answer, holds the secret itself. */
    static void secretNowhere(String tenant, String secret, String... answers) {
        for (String a : answers) {
            assertFalse(a.contains(secret), "an answer holds the secret");
        }
        for (ObjectInfo o : store.list(tenant + "/")) {
            assertFalse(new String(store.getBytes(o.key()), StandardCharsets.ISO_8859_1).contains(secret),
                    o.key() + " holds the secret");
        }
    }

    @Test
    void imapMailboxBecomesNewVersionsOfRealMails() throws Exception {
        String tenant = IngestServiceTest.tenant();
        String password = "imap-" + UUID.randomUUID();
        String login = "support-" + tenant;
        GreenMailUser user = mail.setUser(login + "@tailor.test", login, password);
        List<byte[]> mails = ilugMails();
        deliver(user, mails.subList(0, 50));
        String id = created(tenant, Map.of("kind", "imap", "name", "support-mail", "credentialsRef", secret(password),
                "connection", Map.of("host", "127.0.0.1", "port", mail.getImap().getPort(), "ssl", false, "user", login,
                        "folders", "INBOX")));

        long t0 = System.nanoTime();
        JsonNode first = sync(tenant, id);
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(first.path("versionMade").asBoolean(), first.toString());
        String datasetId = first.path("datasetId").asText();
        String raw = first.at("/version/raw").asText();
        String mbox = rawText(store.keyOf(raw), "mailbox.mbox");
        assertEquals(50, count(mbox), "the first 50 mails, one mbox message each");
        assertEquals(new String(mails.get(0), StandardCharsets.ISO_8859_1).lines().filter(l -> l.startsWith("Subject:"))
                .findFirst().orElseThrow(), mbox.lines().filter(l -> l.startsWith("Subject:")).findFirst().orElseThrow());
        assertTrue(first.at("/version/format").asText().contains("mail") || first.at("/version/format").asText()
                .contains("mbox"), "read as e-mail: " + first.at("/version/format"));
        long firstRecords = first.at("/version/records").asLong();
        assertTrue(firstRecords > 0, "e-mail examples from the mbox");
        kafka.await(Topics.DATASET_INGESTED, r -> datasetId.equals(r.key()), Duration.ofSeconds(30));

        // cleaning reads the version as it reads an uploaded mbox: real (question, reply) examples come out
        Path out = Files.createTempDirectory(Path.of("target"), "clean-");
        dev.tailor.dataprep.output.CleaningResult cleaned;
        try (dev.tailor.dataprep.CleaningPipeline p = new dev.tailor.dataprep.CleaningPipeline(
                dev.tailor.dataprep.config.CleaningConfig.defaults(), out)) {
            p.add("mailbox.mbox", new ByteArrayInputStream(mbox.getBytes(StandardCharsets.ISO_8859_1)), "application/mbox");
            cleaned = p.finish(Map.of());
        }
        assertTrue(cleaned.kept() > 0, "e-mail examples from the synced mails: " + cleaned);
        System.out.printf("IMAP source: cleaning the first version: %d read, %d kept (%d train)%n", cleaned.read(),
                cleaned.kept(), cleaned.train());

        JsonNode nothing = sync(tenant, id);
        assertFalse(nothing.path("versionMade").asBoolean(), "no new mail, no version");

        deliver(user, mails.subList(50, 83));
        JsonNode second = sync(tenant, id);
        assertTrue(second.path("versionMade").asBoolean());
        assertEquals(datasetId, second.path("datasetId").asText(), "a new version of the same dataset");
        String raw2 = second.at("/version/raw").asText();
        assertTrue(raw2.contains("/raw/" + datasetId + "/versions/"), raw2);
        assertEquals(33, count(rawText(store.keyOf(raw2), "mailbox.mbox")), "only the 33 new mails");

        JsonNode state = get(tenant, id);
        assertEquals("OK", state.at("/state/state").asText());
        assertEquals(2, state.at("/state/versionsMade").asInt());
        assertTrue(state.at("/state/cursor/imap:INBOX").asText().endsWith(":83"), state.at("/state/cursor").toString());
        assertEquals(password.length() > 0, true);
        secretNowhere(tenant, password, first.toString(), second.toString(), state.toString());
        System.out.printf("IMAP source: 50 real mails -> %d records in %d ms; 33 more -> %d records; status %s%n",
                firstRecords, firstMs, second.at("/version/records").asLong(),
                IngestServiceTest.as(tenant).get("/v1/datasets/" + datasetId).then().statusCode(200).extract().asString()
                        .length() > 0 ? "found" : "missing");
    }

    private static int count(String mbox) {
        MboxReader reader = new MboxReader(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.ISO_8859_1)), true,
                1 << 24);
        int n = 0;
        while (reader.next() != null) {
            n++;
        }
        return n;
    }

    @Test
    void missingSecretUnreachableServerAndWrongPasswordFailClearly() throws Exception {
        String tenant = IngestServiceTest.tenant();
        String login = "nobody-" + tenant;
        mail.setUser(login + "@tailor.test", login, "right-password");
        String missing = created(tenant, Map.of("kind", "imap", "credentialsRef", "no-such-secret",
                "connection", Map.of("host", "127.0.0.1", "port", mail.getImap().getPort(), "ssl", false, "user", login)));
        IngestServiceTest.as(tenant).post("/v1/sources/" + missing + "/sync").then().statusCode(422)
                .contentType("application/problem+json").body("title", equalTo("Missing credentials"))
                .body("detail", containsString("no-such-secret")).body("detail", containsString("TAILOR_SECRET_NO_SUCH_SECRET"))
                .body("detail", containsString("test-secrets"));
        JsonNode failed = get(tenant, missing);
        assertEquals("FAILED", failed.at("/state/state").asText());
        assertEquals("Missing credentials", failed.at("/state/lastError/title").asText());

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String unreachable = created(tenant, Map.of("kind", "imap", "credentialsRef", secret("x"),
                "connection", Map.of("host", "127.0.0.1", "port", closed, "ssl", false, "user", login)));
        IngestServiceTest.as(tenant).post("/v1/sources/" + unreachable + "/sync").then().statusCode(502)
                .body("title", equalTo("Source unreachable")).body("detail", containsString("127.0.0.1:" + closed));
        assertEquals("Source unreachable", get(tenant, unreachable).at("/state/lastError/title").asText());

        String wrong = created(tenant, Map.of("kind", "imap", "credentialsRef", secret("wrong-password-42"),
                "connection", Map.of("host", "127.0.0.1", "port", mail.getImap().getPort(), "ssl", false, "user", login)));
        String answer = IngestServiceTest.as(tenant).post("/v1/sources/" + wrong + "/sync").then().statusCode(502)
                .body("title", equalTo("Source refused the credentials")).extract().asString();
        secretNowhere(tenant, "wrong-password-42", answer, get(tenant, wrong).toString());

        create(tenant, Map.of("kind", "imap", "connection", Map.of("host", "h", "user", "u", "password", "p")))
                .then().statusCode(400).body("title", equalTo("Secret in the connection settings"))
                .body("detail", containsString("credentialsRef"));
        create(tenant, Map.of("kind", "jdbc", "connection", Map.of("url", "jdbc:postgresql://db/x?user=a&password=b",
                "query", "q", "cursorColumn", "id", "cursorStart", "0"))).then().statusCode(400)
                .body("title", equalTo("Secret in the connection settings")).body("detail", containsString("url"));
        create(tenant, Map.of("kind", "jdbc", "connection", Map.of("url", "jdbc:h2:mem:x", "query",
                "SELECT * FROM tickets", "cursorColumn", "id", "cursorStart", "0"))).then().statusCode(400)
                .body("field", equalTo("connection.query")).body("detail", containsString("ORDER BY"));
        create(tenant, Map.of("kind", "kafka", "connection", Map.of("bootstrapServers", "k:9092", "topic", "t",
                "windowTime", "15 minutes"))).then().statusCode(400).body("field", equalTo("connection.windowTime"));
        create(tenant, Map.of("kind", "ftp", "connection", Map.of())).then().statusCode(400)
                .body("title", equalTo("Unknown source kind"));
        create(tenant, Map.of("kind", "jdbc", "connection", Map.of("url", "jdbc:h2:mem:x"))).then().statusCode(400)
                .body("title", equalTo("Missing connection setting"));
        create(tenant, Map.of("kind", "s3", "datasetId", "ds-nothere", "connection", Map.of("endpoint", "http://x",
                "bucket", "b"))).then().statusCode(422).body("title", equalTo("Unknown dataset"));
        IngestServiceTest.as(IngestServiceTest.tenant()).get("/v1/sources/" + missing).then().statusCode(404);

        io.restassured.specification.RequestSpecification viewer = io.restassured.RestAssured.given().auth().oauth2(
                dev.tailor.testkit.TestIssuer.shared().token(tenant, "viewer@" + tenant, dev.tailor.common.auth.Roles.VIEWER));
        viewer.get("/v1/sources/" + missing).then().statusCode(200);
        viewer.post("/v1/sources/" + missing + "/sync").then().statusCode(403);
        io.restassured.RestAssured.given().delete("/v1/sources/" + missing).then().statusCode(401);
        IngestServiceTest.as(tenant).delete("/v1/sources/" + missing).then().statusCode(204);
        IngestServiceTest.as(tenant).get("/v1/sources/" + missing).then().statusCode(404);
        // registering and removing a source are in the audit trail, with the secret's name, by whoever did it
        for (String action : List.of(AuditEvent.SOURCE_ADDED, AuditEvent.SOURCE_REMOVED)) {
            AuditEvent audit = kafka.awaitEvent(Topics.AUDIT, AuditEvent.class, e -> e.resourceId().equals(missing)
                    && e.action().equals(action), Duration.ofSeconds(30));
            assertEquals("editor@" + tenant, audit.actor());
            assertEquals("no-such-secret", audit.details().get("credentialsRef"));
            assertEquals("imap", audit.details().get("kind"));
        }
        assertEquals(2, IngestServiceTest.as(tenant).get("/v1/sources").then().statusCode(200).extract().jsonPath()
                .getList("$").size());
    }

    @Test
    void sqlQueryRowsBecomeJsonlVersionsByCursorColumn() throws Exception {
        String tenant = IngestServiceTest.tenant();
        String password = "db-" + UUID.randomUUID();
        String url = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/helpdesk-" + tenant;
        List<JsonNode> faq = new String(IngestServiceTest.realData(), StandardCharsets.UTF_8).lines()
                .map(l -> Json.read(l, JsonNode.class)).toList();
        Instant base = Instant.parse("2024-03-01T08:00:00Z");
        try (Connection c = DriverManager.getConnection(url, "helpdesk", password)) {
            c.createStatement().execute("CREATE TABLE tickets (id INT PRIMARY KEY, subject VARCHAR(200), question"
                    + " CLOB, answer CLOB, updated_at TIMESTAMP)");
            insert(c, faq, 0, 30, base);
        }
        String id = created(tenant, Map.of("kind", "jdbc", "name", "helpdesk", "credentialsRef", secret(password),
                "connection", Map.of("url", url, "user", "helpdesk", "cursorColumn", "updated_at",
                        "cursorStart", "1970-01-01 00:00:00",
                        "query", "SELECT id, subject, question, answer, updated_at FROM tickets WHERE updated_at > ?"
                                + " ORDER BY updated_at, id")));
        JsonNode first = sync(tenant, id);
        assertTrue(first.path("versionMade").asBoolean(), first.toString());
        String datasetId = first.path("datasetId").asText();
        String jsonl = rawText(store.keyOf(first.at("/version/raw").asText()), "rows.jsonl");
        assertEquals(30, jsonl.lines().count());
        JsonNode row = Json.read(jsonl.lines().findFirst().orElseThrow(), JsonNode.class);
        assertEquals(faq.get(0).at("/messages/0/content").asText(), row.path("question").asText());
        assertEquals(30, first.at("/version/records").asLong(), "every row an example through the field mapping");
        JsonNode stateAfterFirst = get(tenant, id).path("state");

        assertFalse(sync(tenant, id).path("versionMade").asBoolean(), "no new rows, no version");

        try (Connection c = DriverManager.getConnection(url, "helpdesk", password)) {
            insert(c, faq, 30, 40, base);
            try (PreparedStatement st = c.prepareStatement("UPDATE tickets SET updated_at = ? WHERE id = 5")) {
                st.setTimestamp(1, Timestamp.from(base.plus(Duration.ofDays(2))));
                st.executeUpdate();
            }
        }
        JsonNode second = sync(tenant, id);
        assertTrue(second.path("versionMade").asBoolean());
        assertEquals(11, second.at("/version/records").asLong(), "10 new rows and the updated one");
        assertEquals(datasetId, second.path("datasetId").asText());

        // a replica that died after the version but before its cursor: the same pull again makes no second version
        store.putJson(new ObjectLayout(tenant).sourceState(id), Json.mapper().treeToValue(stateAfterFirst,
                dev.tailor.ingest.domain.SourceState.class).synced(Instant.now(), Map.copyOf(Json.mapper().convertValue(
                stateAfterFirst.path("cursor"), Map.class)), null));
        JsonNode again = sync(tenant, id);
        assertFalse(again.path("versionMade").asBoolean(), "identical rows: the content index makes it a duplicate");
        assertTrue(again.at("/version/duplicate").asBoolean());
        JsonNode state = get(tenant, id).path("state");
        assertEquals(base.plus(Duration.ofDays(2)).toString().replace("T", " ").replace("Z", ".0"),
                state.at("/cursor/jdbc:cursor").asText());
        secretNowhere(tenant, password, first.toString(), second.toString(), state.toString());

        // two syncs at once (two replicas, or a double click) of five rows updated later: one version
        try (Connection c = DriverManager.getConnection(url, "helpdesk", password)) {
            try (PreparedStatement st = c.prepareStatement("UPDATE tickets SET updated_at = ? WHERE id <= 5")) {
                st.setTimestamp(1, Timestamp.from(base.plus(Duration.ofDays(3))));
                st.executeUpdate();
            }
        }
        int before = state.path("versionsMade").asInt();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> both = pool.invokeAll(List.of(
                    () -> IngestServiceTest.as(tenant).post("/v1/sources/" + id + "/sync").statusCode(),
                    () -> IngestServiceTest.as(tenant).post("/v1/sources/" + id + "/sync").statusCode()));
            for (java.util.concurrent.Future<Integer> f : both) {
                assertTrue(f.get() == 200 || f.get() == 503, "a sync answers, or says another one is running: " + f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(before + 1, get(tenant, id).at("/state/versionsMade").asInt(), "one version of the five rows");
        System.out.printf("JDBC source: 30 rows -> version of %d records; 10 new + 1 updated -> %d; repeat -> duplicate%n",
                first.at("/version/records").asLong(), second.at("/version/records").asLong());
    }

    private static void insert(Connection c, List<JsonNode> faq, int from, int to, Instant base) throws Exception {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO tickets VALUES (?, ?, ?, ?, ?)")) {
            for (int i = from; i < to; i++) {
                String q = faq.get(i).at("/messages/0/content").asText();
                st.setInt(1, i + 1);
                st.setString(2, q.length() > 60 ? q.substring(0, 60) : q);
                st.setString(3, q);
                st.setString(4, faq.get(i).at("/messages/1/content").asText());
                st.setTimestamp(5, Timestamp.from(base.plus(Duration.ofMinutes(i))));
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    static ObjectStore landing(String bucket) {
        Map<String, String> c = TailorInfraResource.config();
        ObjectStore s = new ObjectStore(c.get("tailor.storage.endpoint"), c.get("tailor.storage.access-key"),
                c.get("tailor.storage.secret-key"), bucket, c.get("tailor.storage.region"));
        s.ensureBucket();
        return s;
    }

    static Map<String, Object> s3Source(String bucket, String prefix, String interval) throws IOException {
        Map<String, String> c = TailorInfraResource.config();
        Map<String, Object> body = new java.util.HashMap<>(Map.of("kind", "s3", "name", "landing",
                "credentialsRef", secret(c.get("tailor.storage.secret-key")),
                "connection", Map.of("endpoint", c.get("tailor.storage.endpoint"), "bucket", bucket, "prefix", prefix,
                        "accessKey", c.get("tailor.storage.access-key"))));
        if (interval != null) {
            body.put("interval", interval);
        }
        return body;
    }

    @Test
    void s3PrefixNewAndChangedObjectsBecomeVersions() throws Exception {
        String tenant = IngestServiceTest.tenant();
        ObjectStore landing = landing("landing");
        String prefix = "helpdesk-" + tenant + "/";
        byte[] faq = IngestServiceTest.realData();
        landing.putBytes(prefix + "faq.jsonl", faq, "application/x-ndjson");
        String id = created(tenant, s3Source("landing", prefix, null));
        JsonNode first = sync(tenant, id);
        assertTrue(first.path("versionMade").asBoolean(), first.toString());
        assertEquals(40, first.at("/version/records").asLong());
        assertFalse(sync(tenant, id).path("versionMade").asBoolean(), "no new object, no version");

        byte[] question;
        try (InputStream in = SourcesTest.class.getResourceAsStream("/data/question.eml")) {
            question = in.readAllBytes();
        }
        byte[] threads;
        try (InputStream in = SourcesTest.class.getResourceAsStream("/data/ilug-threads.mbox")) {
            threads = in.readAllBytes();
        }
        landing.putBytes(prefix + "mail/question.eml", question, "message/rfc822");
        landing.putBytes(prefix + "mail/threads.mbox", threads, "application/mbox");
        JsonNode second = sync(tenant, id);
        assertTrue(second.path("versionMade").asBoolean(), second.toString());
        assertEquals("zip", second.at("/version/format").asText().replaceAll(".*zip.*", "zip"), second.toString());
        assertTrue(store.exists(store.keyOf(second.at("/version/raw").asText()) + "objects.zip"));

        String changed = new String(faq, StandardCharsets.UTF_8).lines().limit(10).reduce("", (a, b) -> a + b + "\n");
        landing.putBytes(prefix + "faq.jsonl", changed.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        JsonNode third = sync(tenant, id);
        assertTrue(third.path("versionMade").asBoolean(), "a changed ETag is pulled again");
        assertEquals(10, third.at("/version/records").asLong());
        assertEquals(3, get(tenant, id).at("/state/versionsMade").asInt());
    }

    @Test
    void kafkaTopicIsWindowedIntoVersionsWithoutLossOrDoubles() throws Exception {
        String tenant = IngestServiceTest.tenant();
        String topic = "tickets-" + tenant;
        List<String> lines = new String(IngestServiceTest.realData(), StandardCharsets.UTF_8).lines().limit(25).toList();
        for (int i = 0; i < lines.size(); i++) {
            kafka.send(topic, "ticket-" + i, lines.get(i));
        }
        Map<String, Object> windowed = Map.of("kind", "kafka", "name", "ticket-events", "connection",
                Map.of("bootstrapServers", TailorInfraResource.kafkaBootstrap(), "topic", topic, "windowRecords", 10,
                        "windowTime", "PT1H"));
        String id = created(tenant, windowed);
        assertEquals(10, sync(tenant, id).at("/version/records").asLong());
        assertEquals(10, sync(tenant, id).at("/version/records").asLong());
        JsonNode open = sync(tenant, id);
        assertFalse(open.path("versionMade").asBoolean(), "5 records wait: the window is neither full nor old");
        for (int i = 0; i < 5; i++) {
            kafka.send(topic, "late-" + i, lines.get(i));
        }
        JsonNode third = sync(tenant, id);
        assertEquals(10, third.at("/version/records").asLong(), "the 5 waiting and 5 new ones");
        JsonNode state = get(tenant, id).path("state");
        assertEquals(30, state.path("recordsSynced").asLong());
        assertEquals("30", state.at("/cursor/kafka:0").asText());

        String all = created(tenant, Map.of("kind", "kafka", "name", "ticket-events-all", "connection",
                Map.of("bootstrapServers", TailorInfraResource.kafkaBootstrap(), "topic", topic, "windowTime", "PT0S")));
        JsonNode one = sync(tenant, all);
        assertEquals(30, one.at("/version/records").asLong(), "a closed window takes everything waiting");
        assertFalse(sync(tenant, all).path("versionMade").asBoolean());
    }

    @Test
    void periodicSyncRunsWithoutBeingAsked() throws Exception {
        String tenant = IngestServiceTest.tenant();
        ObjectStore landing = landing("landing");
        String prefix = "periodic-" + tenant + "/";
        landing.putBytes(prefix + "faq.jsonl", IngestServiceTest.realData(), "application/x-ndjson");
        String id = created(tenant, s3Source("landing", prefix, "PT5S"));
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode state = get(tenant, id).path("state");
        while (state.path("versionsMade").asInt() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            state = get(tenant, id).path("state");
        }
        assertEquals(1, state.path("versionsMade").asInt(), state.toString());
        assertEquals("PT5S", get(tenant, id).at("/source/interval").asText());
        IngestServiceTest.as(tenant).delete("/v1/sources/" + id).then().statusCode(204); // no more periodic syncs
        IngestServiceTest.as(tenant).get("/v1/datasets/" + state.path("datasetId").asText()).then().statusCode(200);
    }
}
