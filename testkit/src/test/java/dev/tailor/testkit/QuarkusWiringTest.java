package dev.tailor.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.common.messaging.EventPublisher;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageSettings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * What every service gets from tailor-common in Quarkus (found through the jar's Jandex index): the storage
 * config mapping, the ObjectStore and EventPublisher beans (no tenant bean: services act in each event's or caller's tenant) and the S3 readiness check, on
 * TailorInfraResource.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class QuarkusWiringTest {
    @Inject
    ObjectStore store;

    @Inject
    StorageSettings settings;

    @Inject
    EventPublisher publisher;

    @ConfigProperty(name = "quarkus.application.name")
    String application;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @Test
    void commonBeansAreWiredToTheTestInfrastructure() {
        assertEquals(TailorInfraResource.config().get("tailor.storage.endpoint"), settings.endpoint());
        assertEquals("tailor", store.bucket());
        assertTrue(store.bucketExists());
        ObjectLayout layout = new ObjectLayout("acme");
        assertEquals(URI.create("urn:tailor:" + application), publisher.source());
        store.putString(layout.raw("faq", "a.txt"), "hi", "text/plain");
        assertEquals("hi", TailorInfraResource.objectStore().getString("acme/raw/faq/a.txt"));
    }

    @Test
    void readinessReportsS3() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"name\": \"s3\"") || response.body().contains("\"name\":\"s3\""),
                response.body());
    }
}
