package dev.tailor.training.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.testkit.OpenApiConformance;
import dev.tailor.testkit.OpenApiFuzz;
import dev.tailor.testkit.TailorInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The OpenAPI document matches the code: every documented operation answers a status the document lists. */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class OpenApiConformanceTest {
    @TestHTTPResource("/")
    URL root;

    @Test
    void everyDocumentedOperationAnswersADocumentedStatus() throws Exception {
        JsonNode doc = OpenApiConformance.requireConforming(root);
        JsonNode body = doc.at("/paths/~1v1~1training-jobs/post/requestBody/content/application~1json/schema");
        assertTrue("object".equals(body.path("type").asText()) && body.at("/properties/datasetId").isObject()
                && body.at("/properties/params").isObject(), () -> "the training body is an object: " + body);
    }

    /** Issue 16: seeded malformed requests to every documented operation are refused with a 4xx that says why. */
    @Test
    void malformedRequestsToEveryOperationGetAClearRefusal() throws Exception {
        OpenApiFuzz.requireNoServerErrors(root, OpenApiFuzz.ErrorShape.PROBLEM);
    }
}
